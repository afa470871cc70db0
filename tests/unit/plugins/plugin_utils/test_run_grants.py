# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""end_run_grants: the grants a run obtained end and leave the cache; those it reused stay; a failure is a warning."""

import os

from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._run_grants import end_run_grants, entry_options
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_store import FileStore

from .conftest import ACCESS_VALIDITY, KEY

DAY = 86400


def test_the_grant_a_run_obtained_is_revoked_and_dropped(make_cache, tpp, cache_dir, messages):
    token = make_cache(run='run-1').get(KEY, lambda: tpp)
    assert end_run_grants(cache_dir, 'run-1', messages['warn'].append, lambda entry: tpp) == 1
    assert not tpp.valid(token) and tpp.calls == ['authorize', 'revoke']
    assert not os.path.exists(os.path.join(cache_dir, KEY + '.json'))
    assert messages['warn'] == []


def test_a_grant_the_run_only_reused_stays(make_cache, tpp, cache_dir, clock, messages):
    token = make_cache(run='run-1').get(KEY, lambda: tpp)
    clock.advance(ACCESS_VALIDITY + DAY)
    refreshed = make_cache(run='run-2').get(KEY, lambda: tpp)
    assert refreshed != token
    assert end_run_grants(cache_dir, 'run-2', messages['warn'].append, lambda entry: tpp) == 0
    assert tpp.valid(refreshed) and 'revoke' not in tpp.calls
    assert FileStore(cache_dir, None).keys() == [KEY]


def test_an_expired_access_token_is_refreshed_then_revoked(make_cache, tpp, cache_dir, clock, messages):
    make_cache(run='run-1').get(KEY, lambda: tpp)
    clock.advance(ACCESS_VALIDITY + DAY)
    assert end_run_grants(cache_dir, 'run-1', messages['warn'].append, lambda entry: tpp) == 1
    assert tpp.calls == ['authorize', 'revoke', 'refresh', 'revoke']
    assert not any(tpp.alive(grant) for grant in tpp.grants)


def test_a_grant_that_ended_elsewhere_is_dropped_without_counting(make_cache, tpp, cache_dir, messages):
    make_cache(run='run-1').get(KEY, lambda: tpp)
    tpp.revoke_all()
    assert end_run_grants(cache_dir, 'run-1', messages['warn'].append, lambda entry: tpp) == 0
    assert FileStore(cache_dir, None).keys() == []


def test_a_failure_is_a_warning_naming_the_integration_and_the_entry_stays(make_cache, tpp, cache_dir, messages):
    make_cache(run='run-1').get(KEY, lambda: tpp)
    tpp.transport_error.add('revoke')
    assert end_run_grants(cache_dir, 'run-1', messages['warn'].append, lambda entry: tpp) == 0
    [warning] = messages['warn']
    assert warning.startswith('could not revoke the grant of the API integration ansible-automation at https://tpp.example.com')
    assert tpp.grants[0]['access_token'] not in warning and tpp.grants[0]['refresh_token'] not in warning
    assert FileStore(cache_dir, None).keys() == [KEY]


def test_no_cache_directory_means_nothing_to_revoke(tmp_path, tpp, messages):
    assert end_run_grants(str(tmp_path / 'missing'), 'run-1', messages['warn'].append, lambda entry: tpp) == 0
    assert tpp.calls == []


def test_the_entry_gives_the_connection_it_was_obtained_with(make_cache, tpp, cache_dir):
    make_cache(run='run-1').get(KEY, lambda: tpp)
    entry = FileStore(cache_dir, None).read(KEY)
    assert entry_options(entry) == {'url': tpp.url, 'client_id': tpp.client_id, 'ca_path': '/etc/pki/tpp-ca.pem', 'validate_certs': True}
