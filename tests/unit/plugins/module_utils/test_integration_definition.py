# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""api_integration's definition: the document's forms, its keys, and how it fills the options the task leaves unset."""

import json

import pytest

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._integration_definition import (
    DEFINITION_OPTIONS, definition_path, load_definition, with_definition,
)

EXPORTED = {'client_id': 'acme', 'name': 'Acme', 'vendor': 'Acme, Inc.', 'description': 'd', 'info_url': '', 'scope': 'certificate:manage',
            'minimum_scope': 'certificate:manage', 'token_validity': 86400, 'grant_validity': None, 'refresh': True,
            'unused_token_expiration': None, 'grant_count': 3, 'user_count': 2,
            'allowed_identities': [{'name': 'local:svc-ansible', 'universal': 'local:{1}', 'scope': 'certificate:manage'},
                                   {'name': None, 'universal': 'local:{2}', 'scope': 'certificate:manage'}]}


def test_the_forms_of_the_document(tmp_path):
    vendor = {'client_id': 'acme-agent', 'scope': 'certificate:manage', 'url': 'https://tpp.vendor.example'}
    path = tmp_path / 'acme.yml'
    path.write_text('client_id: acme-agent\nscope: certificate:manage\n')
    expected = {'client_id': 'acme-agent', 'scope': 'certificate:manage'}
    assert load_definition(vendor) == expected
    assert load_definition(json.dumps(vendor)) == expected
    assert load_definition('client_id: acme-agent\nscope: certificate:manage\n') == expected
    assert load_definition(str(path)) == expected
    assert load_definition(EXPORTED) == dict((key, EXPORTED[key]) for key in DEFINITION_OPTIONS)


def test_which_strings_are_paths():
    assert definition_path(' files/acme.json ') == 'files/acme.json'
    assert [definition_path(value) for value in ('{"a": 1}', 'a: 1\nb: 2', '', {'a': 1}, None)] == [None] * 5


@pytest.mark.parametrize('value, message', [
    ({'client_id': 'x', 'secret': 'y', 'Name': 'z'}, 'definition has unknown keys: Name, secret; known are name, client_id, vendor,'),
    ('[1, 2]', 'definition must be a mapping of the integration\'s fields'),
    ('{"client_id": ', 'definition is not valid JSON or YAML ('),
    ({'refresh': 'yes'}, 'definition: refresh must be true or false, not str'),
    ({'allowed_identities': 'local:jdoe'}, 'definition: allowed_identities must be a list, not str'),
    ({'name': 42}, 'definition: name must be a string, not int'),
    ('/nonexistent/acme.json', 'cannot read definition file /nonexistent/acme.json: No such file or directory'),
], ids=['unknown keys', 'not a mapping', 'not json', 'refresh', 'identities', 'name', 'no file'])
def test_bad_documents_fail_in_one_line(value, message):
    with pytest.raises(TppError) as failure:
        load_definition(value)
    assert str(failure.value).startswith(message), str(failure.value)
    assert '\n' not in str(failure.value)


def test_the_unknown_keys_message_names_the_ignored_ones():
    with pytest.raises(TppError) as failure:
        load_definition({'secret': 1})
    assert str(failure.value).endswith('(and, ignored, minimum_scope, grant_count, user_count, url)')


def test_explicit_options_win_and_exported_identities_are_read_by_name():
    params = dict((key, None) for key in DEFINITION_OPTIONS)
    params.update(definition=EXPORTED, name='Acme renamed', refresh=False, state='present')
    merged = with_definition(params)
    assert (merged['name'], merged['refresh'], merged['vendor'], merged['token_validity']) == ('Acme renamed', False, 'Acme, Inc.', 86400)
    assert merged['allowed_identities'] == ['local:svc-ansible', 'local:{2}']
    assert 'grant_count' not in merged


def test_no_definition_leaves_the_options_alone():
    params = {'definition': None, 'name': 'x'}
    assert with_definition(params) is params
