# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs the api_integration module, with a relative definition path found and read on the controller."""

from ansible.errors import AnsibleFileNotFound
from ansible.plugins.action import ActionBase

from ansible_collections.venafi_tpp.auth.plugins.module_utils._client_json import not_found, relative_path
from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._integration_definition import definition_path, load_definition


class ActionModule(ActionBase):
    """A relative ``definition`` is looked for where copy looks for src, as the token module's client_json, and the module gets the document."""

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = dict(self._task.args)
        path = definition_path(args.get('definition'))
        if relative_path(path):
            try:
                args['definition'] = load_definition(self._find_needle('files', path))
            except AnsibleFileNotFound:
                return dict(result, failed=True, msg=str(not_found(path, 'definition')))
            except TppError as error:
                return dict(result, failed=True, msg=str(error))
        wrap_async = self._task.async_val and not self._connection.has_native_async
        result.update(self._execute_module(module_name='venafi_tpp.auth.api_integration', module_args=args, task_vars=task_vars,
                                           wrap_async=wrap_async))
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result
