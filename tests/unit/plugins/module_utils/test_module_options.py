# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Option resolution: an explicit option, then the client JSON, then VENAFI_TPP_* variables."""

import json

import pytest

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._options import (
    ACCESS_TOKEN, AUTH, CONNECTION, argument_spec, from_environment, plugin_sources, resolve, url_sources,
)

CLIENT_JSON = {'client_id': 'from-json', 'scope': 'ssh', 'url': 'https://json.example.com'}
ENVIRON = {'VENAFI_TPP_CLIENT_ID': 'from-env', 'VENAFI_TPP_SCOPE': 'configuration:manage', 'VENAFI_TPP_URL': 'https://env.example.com'}
NAMES = ('client_id', 'scope', 'url')
# The argument spec a module with every shared option gets.
CONNECTION_SPEC = argument_spec(CONNECTION)
AUTH_SPEC = argument_spec(AUTH)
ACCESS_TOKEN_SPEC = argument_spec(ACCESS_TOKEN)


def resolve_options(values, environ=None):
    """resolve() with the environment ``environ`` (default: os.environ)."""
    return resolve(values, None if environ is None else from_environment(environ))


def params(**values):
    """Module parameters as AnsibleModule gives them: every option present, unset ones None."""
    result = dict((name, None) for name in list(CONNECTION_SPEC) + list(AUTH_SPEC))
    result.update(values)
    return result


def resolved(options):
    return tuple(options[name] for name in NAMES)


def test_explicit_options_win():
    options = resolve_options(params(client_id='explicit', scope='certificate:manage', url='https://tpp.example.com', client_json=CLIENT_JSON),
                              ENVIRON)
    assert resolved(options) == ('explicit', 'certificate:manage', 'https://tpp.example.com')


def test_client_json_wins_over_the_environment():
    assert resolved(resolve_options(params(client_json=CLIENT_JSON), ENVIRON)) == ('from-json', 'ssh', 'https://json.example.com')


def test_environment_is_the_last_source():
    assert resolved(resolve_options(params(), ENVIRON)) == ('from-env', 'configuration:manage', 'https://env.example.com')


def test_nothing_anywhere_is_none():
    assert resolved(resolve_options(params(), {})) == (None, None, None)


def test_each_option_resolves_on_its_own():
    options = resolve_options(params(client_id='explicit', client_json={'client_id': 'from-json', 'scope': 'ssh'}), ENVIRON)
    assert resolved(options) == ('explicit', 'ssh', 'https://env.example.com')


def test_empty_string_counts_as_unset():
    options = resolve_options(params(client_id='', scope='', url='', client_json=dict(CLIENT_JSON, url='')),
                              dict(ENVIRON, VENAFI_TPP_SCOPE=''))
    assert resolved(options) == ('from-json', 'ssh', 'https://env.example.com')
    assert resolved(resolve_options(params(client_id=''), {'VENAFI_TPP_CLIENT_ID': ''})) == (None, None, None)


def test_empty_client_json_is_ignored():
    assert resolved(resolve_options(params(client_json=''), ENVIRON)) == ('from-env', 'configuration:manage', 'https://env.example.com')


def test_default_environment_is_os_environ(monkeypatch):
    for name, value in ENVIRON.items():
        monkeypatch.setenv(name, value)
    assert resolved(resolve_options(params(client_id='explicit'))) == ('explicit', 'configuration:manage', 'https://env.example.com')


def test_client_json_from_a_file(tmp_path):
    path = tmp_path / 'client.json'
    path.write_text(json.dumps(CLIENT_JSON), encoding='utf-8')
    assert resolved(resolve_options(params(client_json=str(path)), ENVIRON)) == ('from-json', 'ssh', 'https://json.example.com')


def test_client_json_scope_keeps_its_form():
    options = resolve_options(params(client_json={'client_id': 'c', 'scope': {'certificate': ['manage']}}), {})
    assert options['scope'] == {'certificate': ['manage']}


def test_client_json_never_supplies_other_options():
    client_json = dict(CLIENT_JSON, username='local:admin', password='admin-pass-1', refresh_token='r1')
    options = resolve_options(params(username='local:svc', client_json=client_json), {'VENAFI_TPP_PASSWORD': 'env-pass'})
    assert (options['username'], options['password'], options['refresh_token']) == ('local:svc', None, None)


def test_other_parameters_pass_through_and_input_is_not_changed():
    given = params(auth_method='jwt', jwt='a.b.c', timeout=7, validate_certs=False, client_json=CLIENT_JSON)
    snapshot = dict(given)
    options = resolve_options(given, ENVIRON)
    assert given == snapshot
    assert (options['auth_method'], options['jwt'], options['timeout'], options['validate_certs']) == ('jwt', 'a.b.c', 7, False)
    assert options['client_json'] == CLIENT_JSON


def test_bad_client_json_is_an_error():
    with pytest.raises(TppError) as raised:
        resolve_options(params(client_json='{"scope": "ssh"}'), ENVIRON)
    assert str(raised.value) == 'client_json has no client_id; a client JSON holds {"client_id": ..., "scope": ..., "url": ...}'


# The argument spec behind those parameters

@pytest.mark.parametrize('name', ['validate_certs', 'ca_path', 'timeout', 'retries'])
def test_connection_options_fall_back_to_the_environment(name):
    assert CONNECTION_SPEC[name]['fallback'][1] == ['VENAFI_TPP_' + name.upper()]


@pytest.mark.parametrize('name', ['auth_method', 'username', 'password', 'client_cert', 'client_key', 'jwt', 'refresh_token', 'client_json'])
def test_auth_options_fall_back_to_the_environment(name):
    assert AUTH_SPEC[name]['fallback'][1] == ['VENAFI_TPP_' + name.upper()]


@pytest.mark.parametrize('spec, name', [(AUTH_SPEC, 'password'), (AUTH_SPEC, 'jwt'), (AUTH_SPEC, 'refresh_token'), (ACCESS_TOKEN_SPEC, 'access_token')])
def test_secrets_are_no_log(spec, name):
    assert spec[name]['no_log'] is True


def test_trust_bundle_is_an_alias_of_ca_path():
    assert CONNECTION_SPEC['ca_path']['aliases'] == ['trust_bundle']


def test_each_module_gets_its_own_copy_of_the_shared_specs():
    spec = argument_spec(CONNECTION, AUTH, own=dict(type='str'))
    spec['ca_path']['aliases'].append('bogus')
    spec['auth_method']['choices'].append('bogus')
    assert CONNECTION['ca_path']['aliases'] == ['trust_bundle'] and 'bogus' not in AUTH['auth_method']['choices']
    assert 'fallback' not in CONNECTION['ca_path']
    assert spec['own'] == {'type': 'str'}


@pytest.mark.parametrize('name', ['client_id', 'scope', 'url'])
def test_the_client_json_keys_have_no_fallback_in_the_spec_since_resolve_does_it_after_the_client_json(name):
    assert 'fallback' not in argument_spec(CONNECTION, AUTH)[name]


@pytest.mark.parametrize('kwargs, sources', [
    ({}, ('url', 'the VENAFI_TPP_URL environment variable')),
    ({'client_json': True}, ('url', 'the url of client_json', 'the VENAFI_TPP_URL environment variable')),
    ({'client_json': True, 'plugin': True}, ('url', 'the url of client_json', 'the venafi_tpp_url variable', 'the VENAFI_TPP_URL environment variable',
                                             'url in the [venafi_tpp] section of ansible.cfg')),
])
def test_url_sources(kwargs, sources):
    assert url_sources(**kwargs) == sources


def test_plugin_sources_leave_secrets_out_of_ansible_cfg():
    assert plugin_sources('password', AUTH['password']) == {'env': [{'name': 'VENAFI_TPP_PASSWORD'}], 'vars': [{'name': 'venafi_tpp_password'}]}
    assert plugin_sources('username', AUTH['username'])['ini'] == [{'section': 'venafi_tpp', 'key': 'username'}]
