# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TPP's base URL. Kept apart from the HTTP client so that code which only needs the URL does not import requests."""

import re
from urllib.parse import urlsplit

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._options import url_sources

SERVICE_SUFFIXES = ('/vedsdk', '/vedauth')
# A scheme with its "://" mistyped (https//host, https:/host, https:host): not a host name to put after https://.
# Compiled by re when a URL lacks "://" (the lookup imports this module in every worker process Ansible forks).
_BROKEN_SCHEME = r"^https?(?::/?|//?)(?=[^/])"


def normalize_url(url, sources=None):
    """TPP's base URL (``https://host[:port][/prefix]``) from what a user may write; refuses anything but https.

    ``sources`` names where a url can come from, for the message when there is none (default: url_sources()).
    """
    if not isinstance(url, str) or not url.strip():
        sources = sources or url_sources()
        raise TppError('url is required: the TPP server, for example https://tpp.example.com; set %s or %s'
                       % (', '.join(sources[:-1]), sources[-1]))
    text = url.strip()
    broken = re.match(_BROKEN_SCHEME, text, re.IGNORECASE) if '://' not in text else None
    parts = urlsplit(text if '://' in text else 'https://' + text[broken.end() if broken else 0:])
    # Checked first: the messages below repeat the URL, and it must not repeat a password.
    if parts.username is not None or parts.password is not None:
        raise TppError('url must not carry a user name or password; give credentials in their own options')
    if broken:
        raise TppError('url %s is not a URL: its scheme lacks "://"; write https://%s' % (text, text[broken.end():]))
    if parts.scheme.lower() == 'http':
        raise TppError('url %s uses http://; TPP tokens must only travel over TLS, use https://%s' % (text, text.split('://', 1)[1]))
    if parts.scheme.lower() != 'https' or not parts.hostname:
        raise TppError('url %s is not an https:// URL of a TPP server, for example https://tpp.example.com' % text)
    try:
        parts.port
    except ValueError:
        raise TppError('url %s has an invalid port; give the server base, for example https://tpp.example.com:8443' % text)
    if parts.query or parts.fragment:
        raise TppError('url %s must not carry a query or fragment; give the server base, for example https://tpp.example.com' % text)
    path = parts.path.rstrip('/')
    for suffix in SERVICE_SUFFIXES:
        if path.lower().endswith(suffix):
            path = path[:-len(suffix)]
    return 'https://%s%s' % (parts.netloc, path.rstrip('/'))
