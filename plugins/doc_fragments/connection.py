# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How to reach TPP: url, TLS, timeout and retries."""


class ModuleDocFragment:
    DOCUMENTATION = r'''
options:
  url:
    description:
      - Base URL of the TPP server, for example C(https://tpp.example.com).
      - A trailing C(/vedsdk), C(/vedauth) or C(/) is accepted and removed; the collection derives both services from the base.
      - Only C(https://) is accepted.
      - When not set, taken from the client JSON (C(client_json)) where the plugin has one, then from the E(VENAFI_TPP_URL) environment variable.
    type: str
  validate_certs:
    description:
      - Whether to verify the TPP server's TLS certificate. Turning this off prints a warning.
      - Falls back to the E(VENAFI_TPP_VALIDATE_CERTS) environment variable.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file with the CA certificates that signed the TPP server certificate.
      - Used on every request, even when E(REQUESTS_CA_BUNDLE) is set. Without it, the system trust store is used.
      - Falls back to the E(VENAFI_TPP_CA_PATH) environment variable.
    type: path
    aliases: [trust_bundle]
  timeout:
    description:
      - Seconds to wait for TPP to connect and to answer each request.
      - Falls back to the E(VENAFI_TPP_TIMEOUT) environment variable.
    type: int
    default: 30
  retries:
    description:
      - How many times a request that is safe to repeat is sent again after a transport error, HTTP 429 or 5xx, with exponential backoff
        (0.5, 1, 2, 4 and at most 8 seconds) and a warning each time.
      - A refresh-token exchange is only sent again when TPP cannot have acted on it (HTTP 429 or 503, or no connection made),
        because a refresh token works only once.
      - Falls back to the E(VENAFI_TPP_RETRIES) environment variable.
    type: int
    default: 3
'''

    PLUGINS = r'''
options:
  url:
    env:
      - name: VENAFI_TPP_URL
    ini:
      - section: venafi_tpp
        key: url
    vars:
      - name: venafi_tpp_url
  validate_certs:
    env:
      - name: VENAFI_TPP_VALIDATE_CERTS
    ini:
      - section: venafi_tpp
        key: validate_certs
    vars:
      - name: venafi_tpp_validate_certs
  ca_path:
    env:
      - name: VENAFI_TPP_CA_PATH
    ini:
      - section: venafi_tpp
        key: ca_path
    vars:
      - name: venafi_tpp_ca_path
  timeout:
    env:
      - name: VENAFI_TPP_TIMEOUT
    ini:
      - section: venafi_tpp
        key: timeout
    vars:
      - name: venafi_tpp_timeout
  retries:
    env:
      - name: VENAFI_TPP_RETRIES
    ini:
      - section: venafi_tpp
        key: retries
    vars:
      - name: venafi_tpp_retries
'''
