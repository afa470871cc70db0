# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""api_integration's action plugin: a relative definition is found and read on the controller, anything else goes to the module as is."""

import json
from unittest import mock

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import action_loader

DEFINITION = {'client_id': 'acme-agent', 'name': 'Acme Agent', 'scope': 'certificate:manage'}


def run(playbook_dir, args):
    """(result, the arguments the module got) of the action plugin in ``playbook_dir``, with the module replaced."""
    task = mock.MagicMock(args=args, async_val=0, check_mode=False, action='venafi_tpp.auth.api_integration')
    task.get_search_path.return_value = [str(playbook_dir)]
    connection = mock.MagicMock()
    connection._shell.tmpdir = None
    connection.has_native_async = False
    plugin = action_loader.get('venafi_tpp.auth.api_integration', task, connection, mock.MagicMock(), DataLoader(), mock.MagicMock(), None)
    sent = []

    def execute_module(module_name, module_args, task_vars, wrap_async=False):  # pylint: disable=unused-argument
        assert module_name == 'venafi_tpp.auth.api_integration'
        sent.append(module_args)
        return {'changed': False}

    plugin._execute_module = execute_module
    return plugin.run(task_vars={}), sent


@pytest.fixture
def playbook_dir(tmp_path):
    (tmp_path / 'files').mkdir()
    (tmp_path / 'files' / 'acme.json').write_text(json.dumps(DEFINITION))
    (tmp_path / 'acme.yml').write_text('client_id: acme-agent\nname: Acme Agent\nscope: certificate:manage\n')
    return tmp_path


@pytest.mark.parametrize('path', ['acme.json', 'acme.yml', ' files/acme.json '])
def test_a_relative_path_is_read_on_the_controller(playbook_dir, path):
    result, sent = run(playbook_dir, {'definition': path, 'access_token': 't'})
    assert 'failed' not in result
    assert sent == [{'definition': DEFINITION, 'access_token': 't'}]


@pytest.mark.parametrize('definition', ['/srv/acme.json', '~/acme.json', '{"client_id": "x"}', 'client_id: x\nscope: ssh\n', DEFINITION, None])
def test_anything_else_goes_to_the_module_as_is(playbook_dir, definition):
    _result, sent = run(playbook_dir, {'definition': definition})
    assert sent == [{'definition': definition}]


def test_a_relative_path_not_found_fails_before_the_module(playbook_dir):
    result, sent = run(playbook_dir, {'definition': 'nope.json'})
    assert result['failed'] is True
    assert result['msg'].startswith('cannot find definition file nope.json: a relative path is looked for on the controller')
    assert sent == []


def test_a_bad_document_fails_before_the_module(playbook_dir):
    (playbook_dir / 'files' / 'bad.json').write_text('{"client_id": "x", "secret": "y"}')
    result, sent = run(playbook_dir, {'definition': 'bad.json'})
    assert result['msg'].startswith('definition file ')
    assert 'has unknown keys: secret; known are name, client_id' in result['msg']
    assert sent == []
