# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The jwt_mapping and jwt_mapping_info modules over the fake transport: what they read and write, check and diff mode, refusals."""

import pytest

from ansible_collections.venafi_tpp.auth.plugins.modules import jwt_mapping, jwt_mapping_info

from ..conftest import OAUTH, OK, SVC, TPP_URL

SVC_ENTRY = {'PrefixedName': 'local:svc-ansible', 'PrefixedUniversal': SVC}
NOT_FOUND = {'Success': False, 'Result': 21, 'Error': 'JwtMappingNotFound'}
ISSUER = 'https://token.actions.githubusercontent.com'
ARGS = {'url': TPP_URL, 'access_token': 'admin-token', 'name': 'ci', 'issuer': ISSUER, 'purpose_value': TPP_URL + '/vedauth',
        'identity_match': '^repo:example/(.+):environment:production$'}
RECORD = {'Name': 'ci', 'IssuerUri': ISSUER, 'PurposeField': 'aud', 'PurposeMatch': TPP_URL + '/vedauth', 'IdField': 'sub',
          'IdMatch': '^repo:example/(.+):environment:production$'}
VIEW = {'name': 'ci', 'issuer': ISSUER, 'jwks_uri': None, 'purpose_claim': 'aud', 'purpose_value': TPP_URL + '/vedauth',
        'identity_claim': 'sub', 'identity_match': '^repo:example/(.+):environment:production$', 'identity': None}


def sent(transport):
    return [call.url.replace(OAUTH, '').replace(TPP_URL + '/vedsdk/', '') for call in transport.calls]


@pytest.mark.parametrize('check_mode', [True, False], ids=['check mode', 'for real'])
def test_a_new_mapping(run_module, transport, response, check_mode):
    transport.queue(response(200, NOT_FOUND))
    if not check_mode:
        transport.queue(response(200, dict(OK, JwtMapping=RECORD)))
    result = run_module(jwt_mapping, ARGS, check_mode=check_mode, diff=True)
    assert sent(transport) == ['GetJwtMapping'] + ([] if check_mode else ['CreateJwtMapping'])
    assert transport.calls[0].body == {'Name': 'ci', 'ResolveIdentities': True}
    if not check_mode:
        assert transport.calls[1].body == RECORD
    assert result['changed'] is True
    assert result['msg'] == ('check mode: nothing sent; would have ' if check_mode else '') + 'created the JWT mapping ci'
    assert result['jwt_mapping'] == VIEW
    assert result['diff'] == {'before': {}, 'after': VIEW}


def test_a_mapping_as_wanted_is_no_change_and_one_read(run_module, transport, response):
    transport.queue(response(200, dict(OK, JwtMapping=RECORD)))
    result = run_module(jwt_mapping, ARGS)
    assert sent(transport) == ['GetJwtMapping']
    assert (result['changed'], result['msg'], result['jwt_mapping']) == (False, 'the JWT mapping ci is as wanted', VIEW)


def test_an_update_replaces_the_whole_mapping_with_the_unset_fields_null(run_module, transport, response):
    transport.queue(response(200, dict(OK, JwtMapping=dict(RECORD, JwksUri='https://keys.example.com/jwks'))), response(200, OK))
    result = run_module(jwt_mapping, dict(ARGS, purpose_value='https://other.example.com/vedauth'), diff=True)
    assert sent(transport) == ['GetJwtMapping', 'UpdateJwtMapping']
    assert transport.calls[1].body == {'JwtMapping': dict(RECORD, PurposeMatch='https://other.example.com/vedauth', JwksUri=None,
                                                          GranteePrefixedUniversal=None)}
    assert result['msg'] == 'updated the JWT mapping ci'
    assert result['diff']['before']['jwks_uri'] == 'https://keys.example.com/jwks'
    assert result['diff']['after']['jwks_uri'] is None


def test_a_fixed_identity_is_resolved_and_sent_by_universal(run_module, transport, response):
    args = dict(ARGS, identity='local:svc-ansible')
    del args['identity_match']
    transport.queue(response(200, NOT_FOUND), response(200, {'ID': SVC_ENTRY}), response(200, OK))
    result = run_module(jwt_mapping, args)
    assert sent(transport) == ['GetJwtMapping', 'identity/validate', 'CreateJwtMapping']
    assert transport.calls[2].body['GranteePrefixedUniversal'] == SVC
    assert 'IdMatch' not in transport.calls[2].body
    assert (result['jwt_mapping']['identity'], result['jwt_mapping']['identity_match']) == ('local:svc-ansible', None)


def test_a_fixed_identity_as_wanted_is_named_from_the_read(run_module, transport, response):
    record = dict(RECORD, IdMatch=None, GranteePrefixedUniversal=SVC)
    transport.queue(response(200, dict(OK, JwtMapping=record, IdentityEntries=[SVC_ENTRY])))
    args = dict(ARGS, identity='LOCAL:svc-ansible')
    del args['identity_match']
    result = run_module(jwt_mapping, args)
    assert sent(transport) == ['GetJwtMapping']
    assert (result['changed'], result['jwt_mapping']['identity']) == (False, 'local:svc-ansible')


@pytest.mark.parametrize('check_mode', [True, False], ids=['check mode', 'for real'])
def test_deleting(run_module, transport, response, check_mode):
    transport.queue(response(200, dict(OK, JwtMapping=RECORD)))
    if not check_mode:
        transport.queue(response(200, OK))
    result = run_module(jwt_mapping, {'url': TPP_URL, 'access_token': 'admin-token', 'name': 'ci', 'state': 'absent'},
                        check_mode=check_mode, diff=True)
    assert sent(transport) == ['GetJwtMapping'] + ([] if check_mode else ['DeleteJwtMapping'])
    assert result['changed'] is True
    assert result['diff'] == {'before': VIEW, 'after': {}}


def test_deleting_a_mapping_that_does_not_exist_is_no_change(run_module, transport, response):
    transport.queue(response(200, NOT_FOUND))
    result = run_module(jwt_mapping, {'url': TPP_URL, 'access_token': 'admin-token', 'name': 'ci', 'state': 'absent'})
    assert (result['changed'], result['msg'], sent(transport)) == (False, 'the JWT mapping ci does not exist', ['GetJwtMapping'])


@pytest.mark.parametrize('change, message', [
    ({'identity_match': '^(unclosed'}, "identity_match '^(unclosed' is not a valid regular expression"),
    ({'identity_match': '^repo:example/app$'}, "identity_match '^repo:example/app$' has no group: its first group names the identity"),
    ({'identity': 'local:svc-ansible'}, 'give either identity_match (a regular expression'),
    ({'identity_match': None}, 'give either identity_match'),
    ({'issuer': 'http://idp.example.com'}, 'issuer http://idp.example.com uses http://; TPP fetches the issuer\'s keys over HTTPS only'),
    ({'jwks_uri': 'http://idp.example.com/jwks'}, 'jwks_uri http://idp.example.com/jwks uses http://'),
    ({'issuer': 'idp.example.com'}, 'issuer idp.example.com is not an https:// URL'),
    ({'issuer': None}, 'issuer is required for a JWT mapping'),
    ({'purpose_value': ''}, 'purpose_value is required for a JWT mapping'),
    ({'identity_match': None, 'identity': 'svc-ansible'}, "identity: 'svc-ansible' has no identity provider prefix"),
], ids=['bad regex', 'no group', 'both', 'neither', 'http issuer', 'http jwks_uri', 'not a url', 'no issuer', 'no purpose', 'no prefix'])
def test_bad_input_fails_in_one_line_before_any_request(run_module, transport, change, message):
    result = run_module(jwt_mapping, dict(ARGS, **change))
    assert result['failed'] is True
    assert result['msg'].startswith(message), result['msg']
    assert '\n' not in result['msg']
    assert transport.calls == []


def test_a_dotnet_named_group_counts_as_a_group():
    from ansible_collections.venafi_tpp.auth.plugins.module_utils._jwt_mappings import check_identity_match
    check_identity_match('^system:serviceaccount:ci:(?<name>.+)$', None)


def test_a_fixed_identity_may_come_with_no_group_only_through_identity():
    """identity_match without a group is refused; the same mapping with identity instead is fine (checked offline)."""
    from ansible_collections.venafi_tpp.auth.plugins.module_utils._jwt_mappings import wanted_mapping
    wanted = wanted_mapping(dict(ARGS, identity_match=None, identity='local:svc-ansible', jwks_uri=None, purpose_claim=None, identity_claim=None))
    assert (wanted['identity'], wanted['identity_match'], wanted['purpose_claim'], wanted['identity_claim']) == ('local:svc-ansible', None, 'aud', 'sub')


def test_info_reads_every_mapping_sorted_with_identities_by_name(run_module, transport, response):
    fixed = dict(RECORD, Name='build', IdMatch=None, GranteePrefixedUniversal=SVC)
    transport.queue(response(200, dict(OK, JwtMappings=[RECORD, fixed], IdentityEntries=[SVC_ENTRY])))
    result = run_module(jwt_mapping_info, {'url': TPP_URL, 'access_token': 'admin-token'}, check_mode=True)
    assert sent(transport) == ['GetJwtMappings']
    assert result['changed'] is False
    assert [item['name'] for item in result['jwt_mappings']] == ['build', 'ci']
    assert result['jwt_mappings'][0]['identity'] == 'local:svc-ansible'
    assert result['jwt_mappings'][1] == VIEW


def test_info_of_one_mapping_that_does_not_exist_is_empty(run_module, transport, response):
    transport.queue(response(200, NOT_FOUND))
    assert run_module(jwt_mapping_info, {'url': TPP_URL, 'access_token': 'admin-token', 'name': 'nope'})['jwt_mappings'] == []


def test_an_info_item_fed_back_to_the_module_is_no_change(run_module, transport, response):
    transport.queue(response(200, dict(OK, JwtMapping=RECORD)))
    [item] = run_module(jwt_mapping_info, {'url': TPP_URL, 'access_token': 'admin-token', 'name': 'ci'})['jwt_mappings']
    transport.queue(response(200, dict(OK, JwtMapping=RECORD)))
    result = run_module(jwt_mapping, dict(item, url=TPP_URL, access_token='admin-token'))
    assert result['changed'] is False
    assert sent(transport) == ['GetJwtMapping', 'GetJwtMapping']


def test_a_team_as_fixed_identity_is_refused_saying_why(run_module, transport, response):
    team = {'PrefixedName': 'local:PKI Operators', 'PrefixedUniversal': 'local:{0c1f7c1e-3b7a-4a57-9d6e-2f2b8c0b9a11}'}
    args = dict(ARGS, identity='local:PKI Operators')
    del args['identity_match']
    transport.queue(response(200, NOT_FOUND), response(200, {'ID': team}), response(200, {'Success': False, 'Result': 10}))
    result = run_module(jwt_mapping, args)
    assert result['msg'] == ('creating the JWT mapping ci: TPP refuses the identity local:PKI Operators; a fixed identity must be a user '
                             '(or service account), not a team (ObjectInvalid; Result 10)')
