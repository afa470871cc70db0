# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the access_token lookup's file cache is, for the plugins that read it (each describes what it does with it)."""


class ModuleDocFragment:
    DOCUMENTATION = r'''
options:
  cache_dir:
    type: path
    env:
      - name: VENAFI_TPP_CACHE_DIR
    ini:
      - section: venafi_tpp
        key: cache_dir
'''
