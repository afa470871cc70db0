# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The grants the access_token lookup obtained during one playbook run: found in the file cache, revoked, and dropped from it.

An entry of the file cache records the run that obtained its grant (``obtained_by``; a refresh keeps it). At the end of that
run, ``end_run_grants`` revokes each such grant with its own access token (``revoke/token``, which ends the grant, refresh
token included) and removes the entry, under the entry's lock so that no fork renews it meanwhile. An access token that has
expired while its grant lives on is refreshed first and the new one revoked. Grants that a run only reused are left alone.
"""

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import Refused, TppError
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_store import FileStore


def end_run_grants(cache_dir, run, warn, backend_for):
    """Revoke the grants ``run`` obtained that the file cache in ``cache_dir`` holds; how many ended.

    A grant that could not be revoked is a warning (``warn``) naming its integration and TPP, and stays in the cache.
    ``backend_for(entry)`` gives what revokes and refreshes on the entry's TPP (``_tpp_backend.TppBackend(entry_options(entry))``).
    """
    store = FileStore(cache_dir, warn)
    ended = 0
    for key in store.keys():
        with store.lock(key):
            entry = store.read(key, warn=False)
            if entry is None or entry.get('obtained_by') != run:
                continue
            try:
                ended += _end(entry, backend_for(entry))
            except TppError as error:
                warn('could not revoke the grant of the API integration %s at %s that this run obtained (%s); it stays valid until it '
                     'expires, or end it with venafi_tpp.auth.grant' % (entry['client_id'], entry['url'], error))
                continue
            store.remove(key)
    return ended


def _end(entry, backend):
    """1 when TPP revoked the entry's grant, 0 when it had ended already (expired or revoked elsewhere)."""
    if backend.revoke(entry['access_token']):
        return 1
    if not entry.get('refresh_token'):
        return 0
    try:
        result = backend.refresh(entry['refresh_token'])
    except Refused:
        return 0  # the grant has ended
    return 1 if backend.revoke(result['access_token']) else 0


def entry_options(entry):
    """The lookup options that reach an entry's TPP again: url, client_id and the TLS settings the token was obtained with."""
    return {'url': entry['url'], 'client_id': entry['client_id'], 'ca_path': entry.get('ca_path'),
            'validate_certs': entry.get('validate_certs', True)}
