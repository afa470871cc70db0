# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The token module's action plugin: a relative client_json found on the controller, and a result with tokens hidden from output."""

import json
from unittest import mock

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import action_loader

from ansible_collections.venafi_tpp.auth.plugins.module_utils._tokens import CHECK_MODE_PLACEHOLDER

CLIENT_JSON = {'client_id': 'ansible-automation', 'scope': 'certificate:manage', 'url': 'https://tpp.example.com'}
TOKENS = {'changed': True, 'access_token': 'KT2EEVTIjWM/37L78dqJAg==', 'refresh_token': 'f60/oxwEeBAqUSCalEzUJw=='}


class Run:
    """The action plugin of one task, in a playbook directory, with the module it would run replaced by ``answer``."""

    def __init__(self, playbook_dir, args, answer, check_mode=False):
        task = mock.MagicMock(args=args, async_val=0, check_mode=check_mode, action='venafi_tpp.auth.token')
        task.get_search_path.return_value = [str(playbook_dir)]
        connection = mock.MagicMock()
        connection._shell.tmpdir = None
        self.plugin = action_loader.get('venafi_tpp.auth.token', task, connection, mock.MagicMock(), DataLoader(), mock.MagicMock(), None)
        self.module_args = []

        def execute_module(module_name, module_args, task_vars):
            assert module_name == 'venafi_tpp.auth.token'
            self.module_args.append(module_args)
            return dict(answer)

        self.plugin._execute_module = execute_module

    def result(self):
        return self.plugin.run(task_vars={})


@pytest.fixture
def playbook_dir(tmp_path):
    (tmp_path / 'files').mkdir()
    (tmp_path / 'files' / 'client.json').write_text(json.dumps(CLIENT_JSON))
    return tmp_path


def test_a_result_with_tokens_is_hidden_from_output_but_kept(playbook_dir):
    result = Run(playbook_dir, {'client_id': 'c'}, TOKENS).result()
    assert result['_ansible_no_log'] is True
    assert result['access_token'] == TOKENS['access_token']


@pytest.mark.parametrize('answer, check_mode', [
    (dict(TOKENS, access_token=CHECK_MODE_PLACEHOLDER, refresh_token=CHECK_MODE_PLACEHOLDER), True),
    ({'failed': True, 'msg': 'TPP refused the password authorization for client_id c'}, False),
    ({'changed': True, 'msg': 'revoked the grant'}, False),
], ids=['check mode placeholder', 'failure', 'revocation'])
def test_a_result_without_tokens_stays_visible(playbook_dir, answer, check_mode):
    result = Run(playbook_dir, {'client_id': 'c'}, answer, check_mode).result()
    assert '_ansible_no_log' not in result
    assert result['msg' if 'msg' in answer else 'access_token'] == answer.get('msg', CHECK_MODE_PLACEHOLDER)


def test_a_relative_client_json_is_read_on_the_controller_and_its_content_sent(playbook_dir):
    run = Run(playbook_dir, {'client_json': 'client.json', 'username': 'svc-ansible'}, TOKENS)
    run.result()
    assert run.module_args == [{'client_json': CLIENT_JSON, 'username': 'svc-ansible'}]


@pytest.mark.parametrize('client_json', ['/etc/venafi/client.json', '~/client.json', '{"client_id": "c"}', {'client_id': 'c'}])
def test_an_absolute_path_or_the_content_itself_goes_to_the_module_as_it_is(playbook_dir, client_json):
    run = Run(playbook_dir, {'client_json': client_json}, TOKENS)
    run.result()
    assert run.module_args == [{'client_json': client_json}]


def test_a_relative_client_json_that_is_not_there_fails_without_running_the_module(playbook_dir):
    run = Run(playbook_dir, {'client_json': 'missing.json'}, TOKENS)
    result = run.result()
    assert result['failed'] is True
    assert result['msg'].startswith('cannot find client_json file missing.json: a relative path is looked for on the controller')
    assert run.module_args == []


def test_a_relative_client_json_that_is_not_json_fails_with_its_message(playbook_dir):
    (playbook_dir / 'files' / 'broken.json').write_text('{"client_id": ')
    run = Run(playbook_dir, {'client_json': 'broken.json'}, TOKENS)
    result = run.result()
    assert result['failed'] is True
    assert result['msg'].startswith('client_json file %s is not valid JSON' % (playbook_dir / 'files' / 'broken.json'))
    assert run.module_args == []
