# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The grant_info and grant modules: paging, names, the expiry window on TPP's clock, no token anywhere, and revoking."""

import email.utils
import json
import time

import pytest
import yaml

from ansible_collections.venafi_tpp.auth.plugins.module_utils import _grants
from ansible_collections.venafi_tpp.auth.plugins.modules import grant, grant_info

from ..conftest import JDOE, OAUTH, OK, SVC, TEAM, TPP_URL

ADMIN = {'url': TPP_URL, 'access_token': 'admin-token'}
ENTRIES = [{'PrefixedName': 'local:jdoe', 'PrefixedUniversal': JDOE}, {'PrefixedName': 'local:Everyone', 'PrefixedUniversal': TEAM}]
DAY = 86400
NOW = 1800000000


def record(grantee=JDOE, client_id='acme', expires=NOW + 365 * DAY, issued=NOW - DAY, number=0):
    """A grant record as TPP gives it, tokens included."""
    return {'Application': client_id, 'GranteePrefixedUniversal': grantee, 'GrantedToPrefixedUniversal': TEAM, 'Scope': 'certificate:manage',
            'AccessToken': 'SECRET-ACCESS-%d==' % number, 'RefreshToken': 'SECRET-REFRESH-%d==' % number, 'ValidFor': 7776000,
            'AccessIssuedOn': '/Date(%d)/' % (issued * 1000), 'AccessIssuedOnUnixTime': issued,
            'GrantIssuedOn': '/Date(%d)/' % (issued * 1000), 'GrantIssuedOnUnixTime': issued,
            'Expires': '/Date(%d)/' % (expires * 1000) if expires else None, 'ExpiresUnixTime': expires or 0}


def page(records, date=NOW):
    return dict(OK, Grants=records, IdentityEntries=ENTRIES), {'Date': email.utils.formatdate(date, usegmt=True)}


def queue(transport, response, *pages):
    for body, headers in pages:
        transport.queue(response(200, body, headers=headers))


def test_an_integration_pages_until_a_page_is_not_full(run_module, transport, response, monkeypatch):
    monkeypatch.setattr(_grants, 'PAGE_SIZE', 2)
    queue(transport, response, page([record(number=1), record(number=2)]), page([record(SVC, number=3)]))
    result = run_module(grant_info, dict(ADMIN, client_id='acme'))
    assert [call.url for call in transport.calls] == [OAUTH + 'EnumerateGrants'] * 2
    assert [call.body['Start'] for call in transport.calls] == [0, 2]
    assert transport.calls[0].body == {'ApplicationId': 'acme', 'Start': 0, 'Count': 2, 'ResolveIdentities': True}
    assert [item['identity'] for item in result['grants']] == ['local:jdoe', 'local:jdoe', None]
    assert result['grants'][0] == {'identity': 'local:jdoe', 'universal': JDOE, 'granted_to': 'local:Everyone', 'client_id': 'acme',
                                   'scope': 'certificate:manage', 'issued': NOW - DAY, 'access_expires': NOW - DAY + 7776000,
                                   'grant_expires': NOW + 365 * DAY}
    assert 'SECRET' not in json.dumps(result)


def test_an_identity_by_name_is_resolved_then_read_with_get_grants(run_module, transport, response):
    transport.queue(response(200, {'ID': {'PrefixedName': 'local:jdoe', 'PrefixedUniversal': JDOE}}))
    queue(transport, response, page([record(), record(client_id='other')]))
    result = run_module(grant_info, dict(ADMIN, identity='local:jdoe'))
    assert transport.calls[1].url == OAUTH + 'GetGrants'
    assert transport.calls[1].body['GranteePrefixedUniversal'] == JDOE
    assert [item['client_id'] for item in result['grants']] == ['acme', 'other']


def test_a_universal_needs_no_lookup_and_an_unknown_name_fails(run_module, transport, response):
    queue(transport, response, page([]))
    assert run_module(grant_info, dict(ADMIN, identity=JDOE))['grants'] == []
    assert [call.url for call in transport.calls] == [OAUTH + 'GetGrants']
    transport.queue(response(400, {'Error': 'Identity local:gone could not be found'}))
    assert run_module(grant_info, dict(ADMIN, identity='local:gone'))['msg'].startswith('identity: TPP knows no identity local:gone')


def test_expiring_within_counts_from_tpps_clock_not_the_local_one(run_module, transport, response):
    # TPP's clock is 300 days ahead of this host's: only its Date header makes the 30-day window right.
    server_now = int(time.time()) + 300 * DAY
    grants = [record(expires=server_now + 10 * DAY, number=1), record(expires=server_now + 40 * DAY, number=2), record(expires=None, number=3)]
    queue(transport, response, page(grants, date=server_now))
    result = run_module(grant_info, dict(ADMIN, client_id='acme', expiring_within='30d'))
    assert [item['grant_expires'] for item in result['grants']] == [server_now + 10 * DAY]


def test_an_integration_that_does_not_exist_has_no_grants(run_module, transport, response):
    transport.queue(response(200, {'Success': False, 'Result': 2}))
    assert run_module(grant_info, dict(ADMIN, client_id='nope'))['grants'] == []


@pytest.mark.parametrize('args, message', [
    ({}, 'give exactly one of client_id'),
    ({'client_id': 'acme', 'identity': 'local:jdoe'}, 'give exactly one of client_id'),
    ({'identity': 'jdoe'}, "identity: 'jdoe' has no identity provider prefix"),
    ({'client_id': 'acme', 'expiring_within': 'soon'}, "expiring_within 'soon' is not a duration"),
])
def test_bad_input_fails_before_any_request(run_module, transport, args, message):
    result = run_module(grant_info, dict(ADMIN, **args))
    assert result['failed'] and result['msg'].startswith(message), result['msg']
    assert transport.calls == []


def test_grant_revokes_what_it_read_and_shows_it_in_the_diff(run_module, transport, response):
    queue(transport, response, page([record(number=1), record(client_id='other', number=2)]))
    transport.queue(response(200, OK))
    result = run_module(grant, dict(ADMIN, identity=JDOE, state='absent'), diff=True)
    assert (result['changed'], result['revoked']) == (True, 2)
    assert transport.calls[-1].url == OAUTH + 'RevokeGrants'
    assert transport.calls[-1].body == {'GranteePrefixedUniversal': JDOE}
    assert [item['client_id'] for item in result['diff']['before']['grants']] == ['acme', 'other']
    assert result['diff']['after'] == {'grants': []}
    assert 'SECRET' not in json.dumps(result)


def test_grant_in_check_mode_predicts_from_the_read(run_module, transport, response):
    queue(transport, response, page([record()]))
    result = run_module(grant, dict(ADMIN, client_id='acme'), check_mode=True)
    assert (result['changed'], result['revoked']) == (True, 1)
    assert result['msg'].startswith('check mode: nothing sent; would have revoked 1 grant(s)')
    assert [call.url for call in transport.calls] == [OAUTH + 'EnumerateGrants']


def test_grant_without_grants_writes_nothing(run_module, transport, response):
    queue(transport, response, page([]))
    result = run_module(grant, dict(ADMIN, client_id='acme'))
    assert (result['changed'], result['revoked']) == (False, 0)
    assert len(transport.calls) == 1


def test_grant_needs_exactly_one_of_identity_and_client_id(run_module, transport):
    assert run_module(grant, dict(ADMIN))['msg'].startswith('give exactly one of client_id')
    assert transport.calls == []


def test_return_docs_list_every_key_of_a_grant():
    documented = yaml.safe_load(grant_info.RETURN)['grants']['contains']
    assert sorted(documented) == sorted(_grants.grant_view(record(), {}))
    assert sorted(yaml.safe_load(grant.RETURN)['grants']['sample'][0]) == sorted(documented)
