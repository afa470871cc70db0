# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A module that manages TPP's OAuth configuration extends one section of the admin fragment, which must document what the
fragments it stands for document, merged as Ansible merges them when a module lists them."""

import pytest
from ansible.plugins.loader import fragment_loader
from ansible.utils.plugin_docs import add_fragments

PARTS = ['venafi_tpp.auth.connection', 'venafi_tpp.auth.admin', 'venafi_tpp.auth.attributes']
KINDS = {
    'venafi_tpp.auth.admin.module': PARTS,
    'venafi_tpp.auth.admin.info_module': PARTS + ['venafi_tpp.auth.attributes.info_module'],
}


def documentation(fragments):
    doc = dict(extends_documentation_fragment=fragments)
    add_fragments(doc, __file__, fragment_loader, is_module=True)
    return doc


@pytest.mark.parametrize('kind', sorted(KINDS))
def test_each_kind_documents_what_its_fragments_document(kind):
    merged = documentation([kind])
    assert merged == documentation(KINDS[kind])
    assert 'access_token' in merged['options'] and 'url' in merged['options'] and 'action_group' in merged['attributes']
