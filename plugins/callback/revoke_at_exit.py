# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
name: revoke_at_exit
type: aggregate
short_description: When the playbook ends, revoke the Venafi TPP grants the access_token lookup obtained during the run
version_added: 0.2.0
description:
  - Every authorization creates a grant on TPP that lives until it expires, a year by default. A playbook that runs on a
    throwaway controller, such as an AWX or Ansible Automation Platform job, loses the lookup's token cache when it ends, so
    each run would leave one more grant behind. With this callback enabled, the end of the playbook revokes every grant that
    the C(venafi_tpp.auth.access_token) lookup obtained during this run, and drops those tokens from the lookup's file cache.
  - Grants the run only reused from an earlier run's cache are left alone, refreshed or not, as are tokens obtained with
    M(venafi_tpp.auth.token), which a task revokes with O(venafi_tpp.auth.token#module:state=absent).
  - Prints one line with how many grants it revoked. Tokens are never shown. A grant it cannot revoke (TPP does not answer,
    refuses) is a warning that names the integration and the server, never a failed run; that grant stays valid until it
    expires or M(venafi_tpp.auth.grant) ends it.
  - Each grant is revoked with its own access token (C(GET /vedauth/revoke/token)), which needs no administrator; an access
    token that has expired is refreshed first, and the new one revoked.
  - Enable it with C(callbacks_enabled = venafi_tpp.auth.revoke_at_exit) in the C([defaults]) section of C(ansible.cfg), or the
    C(ANSIBLE_CALLBACKS_ENABLED) environment variable.
requirements:
  - Enabled with C(callbacks_enabled).
  - The lookup's file cache (O(venafi_tpp.auth.access_token#lookup:cache=file), the default).
options:
  cache_dir:
    description:
      - The lookup's cache directory, where the callback finds the tokens this run obtained.
      - The same setting as the lookup's O(venafi_tpp.auth.access_token#lookup:cache_dir), from the same environment variable and
        C(ansible.cfg) key. A C(cache_dir) given to the lookup as a keyword argument or a variable is not seen here; set it with
        the environment variable or in C(ansible.cfg) when you move the cache and use this callback.
      - When not set, C($XDG_CACHE_HOME/venafi_tpp.auth), or C(~/.cache/venafi_tpp.auth) without E(XDG_CACHE_HOME).
extends_documentation_fragment:
  - venafi_tpp.auth.token_cache
notes:
  - With O(venafi_tpp.auth.access_token#lookup:cache=memory) or O(venafi_tpp.auth.access_token#lookup:cache=none), the tokens live
    only in the worker process of one task and die with it, so this callback cannot revoke their grants. They stay until they
    expire; use the file cache (the default) on throwaway controllers.
  - Another playbook run of the same user that shares the cache and reused a token this run obtained loses it at the end of this
    run; its next use of the lookup obtains a new one. Runs that share a controller and its cache need no callback, since they
    reuse one grant.
  - It runs when the playbook ends, also after failed tasks; a run that is killed does not reach it.
seealso:
  - plugin: venafi_tpp.auth.access_token
    plugin_type: lookup
  - module: venafi_tpp.auth.grant
'''

from ansible.plugins.callback import CallbackBase

from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._run_grants import end_run_grants, entry_options
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_cache import run_id
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_store import default_cache_dir
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._tpp_backend import TppBackend


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'venafi_tpp.auth.revoke_at_exit'
    CALLBACK_NEEDS_ENABLED = True

    def v2_playbook_on_stats(self, stats):
        warn = self._display.warning
        try:
            ended = end_run_grants(self.get_option('cache_dir') or default_cache_dir(), run_id(), warn,
                                   lambda entry: TppBackend(entry_options(entry), warn=warn))
        except Exception as error:  # pylint: disable=broad-except
            # Whatever happens here must not fail a run whose tasks all passed.
            warn('venafi_tpp.auth.revoke_at_exit: could not revoke the grants of this run: %s' % error)
            return
        self._display.display('venafi_tpp.auth.revoke_at_exit: revoked %d grant%s that the access_token lookup obtained during this run'
                              % (ended, '' if ended == 1 else 's'))
