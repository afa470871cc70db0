# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running a module's main() in the test process, with its arguments as Ansible passes them, against the fake transport."""

import json
import os
from unittest import mock

import pytest
from ansible.module_utils import basic

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core before 2.19
    import contextlib

    @contextlib.contextmanager
    def patch_module_args(args=None):
        with mock.patch.object(basic, '_ANSIBLE_ARGS', json.dumps({'ANSIBLE_MODULE_ARGS': args or {}}).encode()):
            yield


class ModuleExit(Exception):
    """What exit_json or fail_json was called with."""

    def __init__(self, result):
        super().__init__(result)
        self.result = result


def _exit_json(module, **result):  # pylint: disable=unused-argument
    raise ModuleExit(result)


def _fail_json(module, msg, **result):  # pylint: disable=unused-argument
    raise ModuleExit(dict(result, failed=True, msg=msg))


@pytest.fixture
def run_module(monkeypatch):
    """Run ``module.main()`` with ``args`` (plus check and diff mode) and return its result; ``failed`` is set when it failed."""
    for name in list(os.environ):
        if name.startswith('VENAFI_TPP_'):
            monkeypatch.delenv(name)

    def runner(module, args, check_mode=False, diff=False):
        args = dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff)
        with patch_module_args(args), mock.patch.object(basic.AnsibleModule, 'exit_json', _exit_json), \
                mock.patch.object(basic.AnsibleModule, 'fail_json', _fail_json):
            with pytest.raises(ModuleExit) as finished:
                module.main()
        return finished.value.result

    return runner
