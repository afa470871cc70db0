# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs the token module and hides a result that holds tokens from every output, but not from register."""

from ansible.errors import AnsibleFileNotFound
from ansible.plugins.action import ActionBase

from ansible_collections.venafi_tpp.auth.plugins.module_utils._client_json import load_client_json, not_found, relative_path
from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._tokens import SECRET_KEYS


class ActionModule(ActionBase):
    """The token module, with its secrets kept out of the display, the log and callbacks, and a relative client_json found on the controller.

    Callbacks only ever see a result's clean copy, which Ansible censors when the result carries
    ``_ansible_no_log``; the registered variable keeps the full result. Failures stay visible: they
    hold no token, and the user needs their message.
    """

    _supports_check_mode = True
    # No async: async_status would hand the tokens to the display uncensored.
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = dict(self._task.args)
        # A relative path is looked for where copy looks for src, and the module gets the content: the host it runs on may not
        # have the file, and its working directory is not the playbook's. An absolute path is read where the module runs.
        if relative_path(args.get('client_json')):
            path = args['client_json'].strip()
            try:
                args['client_json'] = load_client_json(self._find_needle('files', path))
            except AnsibleFileNotFound:
                return dict(result, failed=True, msg=str(not_found(path)))
            except TppError as error:
                return dict(result, failed=True, msg=str(error))
        result.update(self._execute_module(module_name='venafi_tpp.auth.token', module_args=args, task_vars=task_vars))
        if not result.get('failed') and any(result.get(key) and not self._task.check_mode for key in SECRET_KEYS):
            result['_ansible_no_log'] = True
        return result
