# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module of the collection shares: its authors and attributes."""


class ModuleDocFragment:
    DOCUMENTATION = r'''
author:
  - Venafi TPP Auth Collection Team (@venafi-tpp)
attributes:
  action_group:
    description: Use C(group/venafi_tpp.auth.tpp) in C(module_defaults) to set the connection options of every module once.
    support: full
    membership:
      - venafi_tpp.auth.tpp
  platform:
    description: Runs wherever the Python libraries C(requests) (and C(requests-ntlm) for Windows integrated authentication) are installed.
    support: full
    platforms: posix
'''

    INFO_MODULE = r'''
attributes:
  check_mode:
    description: Can run in check mode; it only reads, so it runs as usual.
    support: full
  diff_mode:
    description: Returns no diff; it changes nothing.
    support: N/A
'''
