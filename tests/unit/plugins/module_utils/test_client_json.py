# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The client JSON: a mapping, its text or a file; never more than client_id, scope and url."""

import json

import pytest

from ansible_collections.venafi_tpp.auth.plugins.module_utils._client_json import load_client_json
from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError

CLIENT = {'client_id': 'ansible-demo', 'scope': 'certificate:manage;ssh', 'url': 'https://tpp.example.com'}
SHAPE = '{"client_id": ..., "scope": ..., "url": ...}'


def refused(value):
    with pytest.raises(TppError) as raised:
        load_client_json(value)
    assert '\n' not in str(raised.value)
    return str(raised.value)


def test_mapping():
    assert load_client_json(dict(CLIENT)) == CLIENT


def test_json_text():
    assert load_client_json(json.dumps(CLIENT)) == CLIENT
    assert load_client_json('\n  %s\n' % json.dumps(CLIENT, indent=2)) == CLIENT


def test_file(tmp_path):
    path = tmp_path / 'client.json'
    path.write_text(json.dumps(CLIENT, indent=2) + '\n', encoding='utf-8')
    assert load_client_json(str(path)) == CLIENT


def test_only_client_id_is_required():
    assert load_client_json({'client_id': 'ansible-demo'}) == {'client_id': 'ansible-demo', 'scope': None, 'url': None}


@pytest.mark.parametrize('scope', [['certificate:manage', 'ssh'], {'certificate': ['manage']}])
def test_scope_may_be_a_list_or_mapping(scope):
    assert load_client_json({'client_id': 'ansible-demo', 'scope': scope})['scope'] == scope


def test_no_secret_is_kept(tmp_path):
    secrets = {'client_secret': 's3cret', 'password': 'admin-pass-1', 'refresh_token': 'f60/oxwEeBAqUSCalEzUJw==',
               'access_token': 'KT2EEVTIjWM/37L78dqJAg==', 'username': 'local:admin'}
    path = tmp_path / 'client.json'
    path.write_text(json.dumps(dict(CLIENT, **secrets)), encoding='utf-8')
    for value in (dict(CLIENT, **secrets), json.dumps(dict(CLIENT, **secrets)), str(path)):
        result = load_client_json(value)
        assert result == CLIENT
        assert not any(secret in repr(result) for secret in secrets.values())


def test_missing_file_says_what_to_give(tmp_path):
    missing = str(tmp_path / 'missing.json')
    assert refused(missing) == 'cannot read client_json file %s: No such file or directory; give a readable file or the JSON itself' % missing


def test_directory_is_not_a_file(tmp_path):
    assert refused(str(tmp_path)) == 'cannot read client_json file %s: Is a directory; give a readable file or the JSON itself' % tmp_path


def test_file_that_is_not_utf8(tmp_path):
    path = tmp_path / 'client.json'
    path.write_bytes(b'{"client_id": "d\xe9mo"}')
    assert refused(str(path)) == 'client_json file %s is not UTF-8 text (byte 16 is 0xe9); save it as UTF-8 JSON' % path


def test_invalid_json_text():
    message = refused('{"client_id": "ansible-demo",')
    assert message.startswith('client_json is not valid JSON (')
    assert message.endswith('); it should look like %s' % SHAPE)


def test_invalid_json_file(tmp_path):
    path = tmp_path / 'client.json'
    path.write_text("client_id: ansible-demo\nscope: ssh\n", encoding='utf-8')
    message = refused(str(path))
    assert message.startswith('client_json file %s is not valid JSON (Expecting value: line 1 column 1 (char 0))' % path)
    assert message.endswith('); it should look like %s' % SHAPE)


@pytest.mark.parametrize('content', ['["ansible-demo"]', '"ansible-demo"', '42', 'null'])
def test_file_not_holding_an_object(tmp_path, content):
    path = tmp_path / 'client.json'
    path.write_text(content, encoding='utf-8')
    assert refused(str(path)) == 'client_json file %s must hold a JSON object with client_id, scope and url' % path


@pytest.mark.parametrize('value', [{'scope': 'ssh', 'url': 'https://tpp.example.com'}, {'client_id': ''}, {'client_id': 42},
                                   '{"scope": "ssh"}'])
def test_missing_client_id(value):
    assert refused(value) == 'client_json has no client_id; a client JSON holds %s' % SHAPE


def test_file_missing_client_id(tmp_path):
    path = tmp_path / 'client.json'
    path.write_text('{"scope": "ssh"}', encoding='utf-8')
    assert refused(str(path)) == 'client_json file %s has no client_id; a client JSON holds %s' % (path, SHAPE)


@pytest.mark.parametrize('key, value, type_name', [('url', 443, 'int'), ('url', ['https://tpp.example.com'], 'list'), ('scope', 5, 'int'),
                                                   ('scope', True, 'bool')])
def test_wrong_types(key, value, type_name):
    assert refused({'client_id': 'ansible-demo', key: value}) == 'client_json: %s has the wrong type (%s)' % (key, type_name)


@pytest.mark.parametrize('value', [None, '', '   ', 42, ['ansible-demo'], True])
def test_neither_path_nor_content(value):
    assert refused(value) == 'client_json must be a path to a client JSON file or its content, %s' % SHAPE
