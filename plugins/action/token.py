# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs the token module and hides a result that holds tokens from every output, but not from register."""

from ansible.plugins.action import ActionBase

SECRET_KEYS = ('access_token', 'refresh_token')


class ActionModule(ActionBase):
    """The token module, with its secrets kept out of the display, the log and callbacks.

    Callbacks only ever see a result's clean copy, which Ansible censors when the result carries
    ``_ansible_no_log``; the registered variable keeps the full result. Failures stay visible: they
    hold no token, and the user needs their message.
    """

    _supports_check_mode = True
    # No async: async_status would hand the tokens to the display uncensored.
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        result.update(self._execute_module(module_name='venafi_tpp.auth.token', module_args=self._task.args,
                                           task_vars=task_vars))
        if not result.get('failed') and any(result.get(key) and not self._task.check_mode for key in SECRET_KEYS):
            result['_ansible_no_log'] = True
        return result
