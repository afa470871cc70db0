# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The token_settings and token_settings_info modules: read-modify-write of the whole object, idempotence, the lock-out guard."""

import copy

import yaml

from ansible_collections.venafi_tpp.auth.plugins.modules import token_settings, token_settings_info

from ..conftest import OAUTH, OK, TPP_URL

CONFIGURATION = {
    'DefaultAccessTokenValidity': 7776000, 'DefaultGrantValidity': 31536000, 'DefaultGrantRefreshable': True,
    'UnusedAccessTokenExpiration': 0, 'RefreshEndpointEnabled': True, 'AuthorizeByPassword': True, 'AuthorizeByCertificate': True,
    'AuthorizeByIntegrated': True, 'AuthorizeByJwt': True, 'AuthorizeDevice': False, 'SessionPoolSize': 5000,
    'CertificateConfiguration': {'SourceField': 'CN', 'AuthorizedIssuerDns': [], 'AttemptSIDExtensionBeforeSourceField': False},
    'JwtConfiguration': {'ClockSkew': 60, 'CacheConfiguration': {'MinTtl': 300}},
    'SomethingNewer': {'Kept': True},
}
ARGS = {'url': TPP_URL, 'access_token': 'admin-token'}
SETTINGS = {'token_validity': 7776000, 'grant_validity': 31536000, 'refresh': True, 'unused_token_expiration': 0,
            'auth_methods': ['password', 'integrated', 'certificate', 'jwt'], 'certificate_source_field': 'cn',
            'certificate_issuers': [], 'jwt_clock_skew': 60}


def queue_read(transport, response, configuration=None):
    transport.queue(response(200, dict(OK, Configuration=copy.deepcopy(configuration or CONFIGURATION))))


def test_info_returns_every_setting_in_the_option_form(run_module, transport, response):
    queue_read(transport, response)
    result = run_module(token_settings_info, ARGS)
    assert result == {'changed': False, 'settings': SETTINGS}
    assert [(call.url, call.body) for call in transport.calls] == [(OAUTH + 'GetConfiguration', {})]


def test_it_sends_back_the_whole_object_changing_only_what_the_task_names(run_module, transport, response):
    queue_read(transport, response)
    transport.queue(response(200, OK))
    result = run_module(token_settings, dict(ARGS, token_validity='1d', grant_validity='30d', unused_token_expiration='7d',
                                             certificate_source_field='san_upn', jwt_clock_skew='2m'), diff=True)
    assert result['changed'] is True
    assert result['msg'] == 'changed token_validity, grant_validity, unused_token_expiration, certificate_source_field, jwt_clock_skew'
    sent = transport.calls[1].body['Configuration']
    wanted = copy.deepcopy(CONFIGURATION)
    wanted.update(DefaultAccessTokenValidity=86400, DefaultGrantValidity=2592000, UnusedAccessTokenExpiration=604800)
    wanted['CertificateConfiguration']['SourceField'] = 'SAN:UPN'
    wanted['JwtConfiguration']['ClockSkew'] = 120
    assert sent == wanted
    assert result['diff']['before'] == SETTINGS
    assert result['diff']['after'] == result['settings'] == dict(SETTINGS, token_validity=86400, grant_validity=2592000,
                                                                 unused_token_expiration=604800, certificate_source_field='san_upn',
                                                                 jwt_clock_skew=120)


def test_a_second_run_sends_no_write(run_module, transport, response):
    queue_read(transport, response)
    methods = ['JWT', 'password', 'certificate', 'integrated']
    result = run_module(token_settings, dict(ARGS, token_validity=7776000, refresh=True, auth_methods=methods))
    assert (result['changed'], result['msg']) == (False, "TPP's token settings are as wanted")
    assert len(transport.calls) == 1


def test_check_mode_reads_and_writes_nothing(run_module, transport, response):
    queue_read(transport, response)
    result = run_module(token_settings, dict(ARGS, refresh=False), check_mode=True)
    assert result['msg'] == 'check mode: nothing sent; would have changed refresh'
    assert result['settings']['refresh'] is False
    assert len(transport.calls) == 1


def test_switching_on_needs_no_guard(run_module, transport, response):
    queue_read(transport, response)
    transport.queue(response(200, OK))
    result = run_module(token_settings, dict(ARGS, auth_methods=['password', 'integrated', 'certificate', 'jwt', 'device']))
    assert result['settings']['auth_methods'] == ['password', 'integrated', 'certificate', 'jwt', 'device']
    assert transport.calls[1].body['Configuration']['AuthorizeDevice'] is True


def test_switching_off_while_the_tokens_method_is_unknown_is_refused(run_module, transport, response):
    queue_read(transport, response)
    result = run_module(token_settings, dict(ARGS, auth_methods=['certificate', 'jwt', 'integrated']))
    assert result['failed'] is True
    assert result['msg'].startswith('this would switch off password sign-in, and the module cannot tell whether access_token was obtained '
                                    'that way (TPP does not say): give access_token_auth_method')
    assert len(transport.calls) == 1


def test_switching_off_the_tokens_own_method_is_refused_unless_forced(run_module, transport, response):
    queue_read(transport, response)
    result = run_module(token_settings, dict(ARGS, auth_methods=['certificate'], access_token_auth_method='password'))
    assert result['msg'].startswith('this would switch off password sign-in, with which access_token was obtained')
    assert 'force: true' in result['msg']
    queue_read(transport, response)
    transport.queue(response(200, OK))
    forced = run_module(token_settings, dict(ARGS, auth_methods=['certificate'], access_token_auth_method='password', force=True))
    assert forced['settings']['auth_methods'] == ['certificate']
    assert len(transport.calls) == 3


def test_switching_off_another_method_than_the_tokens_passes(run_module, transport, response):
    queue_read(transport, response)
    transport.queue(response(200, OK))
    result = run_module(token_settings, dict(ARGS, auth_methods=['certificate', 'jwt'], access_token_auth_method='certificate'))
    assert result['msg'] == 'changed auth_methods'
    sent = transport.calls[1].body['Configuration']
    assert (sent['AuthorizeByPassword'], sent['AuthorizeByIntegrated'], sent['AuthorizeByCertificate']) == (False, False, True)


def test_bad_input_fails_before_any_request(run_module, transport):
    for args, message in (
            ({'auth_methods': []}, 'auth_methods must not be empty: switching off every authorization method would lock everyone out'),
            ({'auth_methods': ['password', 'kerberos']}, "auth_methods: unknown authorization method 'kerberos'; give the methods"),
            ({'token_validity': '90 days'}, "token_validity '90 days' is not a duration"),
            ({'token_validity': 0}, 'token_validity must be a positive duration'),
            ({'grant_validity': -1}, 'grant_validity must be 0 or a positive duration')):
        result = run_module(token_settings, dict(ARGS, force=True, **args))
        assert result['msg'].startswith(message), result['msg']
    assert transport.calls == []


def test_grant_validity_0_means_never_and_is_accepted(run_module, transport, response):
    queue_read(transport, response)
    transport.queue(response(200, OK))
    assert run_module(token_settings, dict(ARGS, grant_validity=0))['settings']['grant_validity'] == 0
    assert transport.calls[1].body['Configuration']['DefaultGrantValidity'] == 0


def test_the_settings_round_trip(run_module, transport, response):
    queue_read(transport, response)
    result = run_module(token_settings, dict(ARGS, access_token_auth_method='password', **SETTINGS))
    assert result['changed'] is False


def test_return_documents_every_setting():
    documented = yaml.safe_load(token_settings.RETURN)['settings']['contains']
    assert sorted(documented) == sorted(SETTINGS)
    assert sorted(yaml.safe_load(token_settings_info.RETURN)['settings']['sample']) == sorted(SETTINGS)
