# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The scope map of the docsite guide (docs/docsite/rst/scopes.rst) is the one the code checks scopes against."""

import os
import re

from ansible_collections.venafi_tpp.auth.plugins.module_utils._scopes import SCOPE_MAP

COLLECTION_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))
GUIDE = os.path.join(COLLECTION_ROOT, 'docs', 'docsite', 'rst', 'scopes.rst')
# A row of the map's list-table: "* - ``scope``" then "- ``restriction``, ..." or "- none (read only)".
ROW = re.compile(r'^   \* - ``([a-z]+)``\n     - (.+)$', re.M)


def documented_scope_map():
    with open(GUIDE, encoding='utf-8') as handle:
        text = handle.read()
    table = text.split('\nThe map\n', 1)[1].split('\nWhat TPP checks\n', 1)[0]
    return dict((name, tuple(re.findall(r'``([a-z]+)``', restrictions))) for name, restrictions in ROW.findall(table))


def test_the_guide_lists_every_scope_with_its_restrictions():
    assert documented_scope_map() == SCOPE_MAP
