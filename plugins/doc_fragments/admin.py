# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The administrator's access token, with which the modules that manage TPP's OAuth configuration authenticate.

Such a module extends one section that holds all it shares: C(venafi_tpp.auth.admin.module) for one that changes TPP (it
documents its own check and diff mode), C(venafi_tpp.auth.admin.info_module) for one that only reads.
"""

import yaml

from ansible_collections.venafi_tpp.auth.plugins.doc_fragments import attributes, connection


def merged(*fragments):
    """The YAML of one fragment that documents what ``fragments`` do, merged as Ansible merges the fragments a module lists."""
    doc = {}
    for fragment in fragments:
        for key, value in yaml.safe_load(fragment).items():
            doc[key] = dict(doc.get(key, {}), **value) if isinstance(value, dict) else value
    return yaml.safe_dump(doc, sort_keys=False, width=1000)


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


# Built from the literal sections above rather than written out again. ansible-test's yamllint reads only literal class
# attributes, and these are merges of linted ones; validate-modules checks the documentation of every module that uses them.
ModuleDocFragment.MODULE = merged(connection.ModuleDocFragment.DOCUMENTATION, ModuleDocFragment.DOCUMENTATION,
                                  attributes.ModuleDocFragment.DOCUMENTATION)
ModuleDocFragment.INFO_MODULE = merged(ModuleDocFragment.MODULE, attributes.ModuleDocFragment.INFO_MODULE)
