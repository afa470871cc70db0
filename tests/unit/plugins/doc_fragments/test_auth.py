# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The auth doc fragment as ansible-doc shows it: the documentation YAML with the fragment merged in, rendered as text."""

import pytest
from ansible.plugins.loader import fragment_loader
from ansible.utils.plugin_docs import get_docstring

from ansible_collections.venafi_tpp.auth.plugins.lookup import access_token
from ansible_collections.venafi_tpp.auth.plugins.modules import token


@pytest.fixture(scope='module', params=[(token, 'module'), (access_token, 'lookup')], ids=['token module', 'lookup'])
def options(request):
    plugin, plugin_type = request.param
    doc = get_docstring(plugin.__file__, fragment_loader, collection_name='venafi_tpp.auth', plugin_type=plugin_type)[0]
    return doc['options']


def text(option):
    return ' '.join(option['description'])


def test_domain_user_has_one_backslash(options):  # pylint: disable=redefined-outer-name
    # A user copies what ansible-doc shows; DOMAIN\\user with two backslashes fails Windows integrated authentication.
    for name in ('auth_method', 'username'):
        assert 'DOMAIN\\user' in text(options[name])
        assert 'DOMAIN\\\\user' not in text(options[name])


def test_username_says_how_to_write_the_backslash_in_yaml(options):  # pylint: disable=redefined-outer-name
    described = text(options['username'])
    assert 'C(username: CORP\\svc-ansible)' in described
    assert "C(username: 'CORP\\svc-ansible')" in described
    assert 'C(username: "CORP\\\\svc-ansible")' in described


def test_client_json_says_where_a_relative_path_is_looked_for(options):  # pylint: disable=redefined-outer-name
    described = text(options['client_json'])
    assert 'A relative path is looked for on the controller' in described
    assert 'not in the current working directory' in described
