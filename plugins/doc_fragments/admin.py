# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The administrator's access token, with which the modules that manage TPP's OAuth configuration authenticate."""


class ModuleDocFragment:
    DOCUMENTATION = r'''
options:
  access_token:
    description:
      - An access token whose scope includes C(admin) (for example C(admin:delete)), of an identity with TPP's OAuth Admin role,
        from M(venafi_tpp.auth.token) or the C(venafi_tpp.auth.access_token) lookup. Never shown in output.
      - Falls back to the E(VENAFI_TPP_ACCESS_TOKEN) environment variable.
    type: str
'''
