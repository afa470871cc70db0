# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lookup: its options, their sources and precedence, and what it hands the cache."""

import json
import os

import pytest
from ansible.errors import AnsibleError, AnsibleLookupError
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import lookup_loader
from ansible.template import Templar

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core before 2.19 templates every string
    def trust_as_template(value):
        return value

from ansible_collections.venafi_tpp.auth.plugins.plugin_utils import _access_token_lookup
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._cache_key import cache_key

CLIENT_JSON = {'client_id': 'from-client-json', 'scope': 'ssh:discover', 'url': 'https://json.example.com'}
CREDENTIALS = {'username': 'svc-ansible', 'password': 'svc-pass-1'}


class RecordingCache:
    """Stands in for TokenCache: records how the lookup made it and what it asked."""

    made = []

    def __init__(self, **kwargs):
        self.kwargs = kwargs
        RecordingCache.made.append(self)

    def get(self, key, make_backend):
        self.key = key
        self.options = make_backend()
        return 'KT2EEVTIjWM/37L78dqJAg=='


@pytest.fixture
def recorded(monkeypatch):
    RecordingCache.made = []
    monkeypatch.setattr(_access_token_lookup, 'TokenCache', RecordingCache)
    monkeypatch.setattr(_access_token_lookup, 'tpp_backend', lambda options, warn=None: options)
    for name in list(os.environ):
        if name.startswith('VENAFI_TPP_') or name == 'XDG_CACHE_HOME':
            monkeypatch.delenv(name)
    return RecordingCache.made


@pytest.fixture
def lookup():
    return lookup_loader.get('venafi_tpp.auth.access_token')


def run(lookup, variables=None, **kwargs):  # pylint: disable=redefined-outer-name
    return lookup.run([], variables=variables or {}, **kwargs)


def test_it_returns_one_token_and_builds_the_cache_from_its_options(lookup, recorded, tmp_path):  # pylint: disable=redefined-outer-name
    result = run(lookup, url='https://tpp.example.com/vedsdk', client_id='ansible-automation', scope='Certificate:manage', cache='memory',
                 cache_dir=str(tmp_path), min_validity=60, **CREDENTIALS)
    assert result == ['KT2EEVTIjWM/37L78dqJAg==']
    cache = recorded[0]
    assert cache.kwargs['mode'] == 'memory' and cache.kwargs['cache_dir'] == str(tmp_path) and cache.kwargs['min_validity'] == 60
    options = cache.options
    assert options['url'] == 'https://tpp.example.com/vedsdk' and options['password'] == 'svc-pass-1'
    assert cache.key == cache_key(dict(options, url='https://tpp.example.com', scope='certificate:manage'))


def test_defaults(lookup, recorded, monkeypatch):  # pylint: disable=redefined-outer-name
    monkeypatch.setenv('HOME', '/home/someone')
    run(lookup, url='https://tpp.example.com', client_id='c', scope='ssh', **CREDENTIALS)
    cache, options = recorded[0], recorded[0].options
    assert cache.kwargs == dict(cache.kwargs, mode='file', cache_dir='/home/someone/.cache/venafi_tpp.auth', min_validity=3600)
    assert (options['auth_method'], options['validate_certs'], options['timeout'], options['retries']) == ('password', True, 30, 3)


def test_xdg_cache_home_moves_the_default_cache_dir(lookup, recorded, monkeypatch):  # pylint: disable=redefined-outer-name
    monkeypatch.setenv('XDG_CACHE_HOME', '/var/cache/someone')
    run(lookup, url='https://tpp.example.com', client_id='c', scope='ssh', **CREDENTIALS)
    assert recorded[0].kwargs['cache_dir'] == '/var/cache/someone/venafi_tpp.auth'


def test_environment_variables_set_every_option(lookup, recorded, monkeypatch, tmp_path):  # pylint: disable=redefined-outer-name
    values = {'URL': 'https://env.example.com', 'CLIENT_ID': 'env-client', 'SCOPE': 'certificate', 'USERNAME': 'env-user',
              'PASSWORD': 'env-pass', 'AUTH_METHOD': 'integrated', 'VALIDATE_CERTS': 'false', 'CA_PATH': str(tmp_path / 'ca.pem'),
              'TIMEOUT': '7', 'RETRIES': '1', 'CACHE': 'none', 'CACHE_DIR': str(tmp_path / 'c'), 'MIN_VALIDITY': '120'}
    for name, value in values.items():
        monkeypatch.setenv('VENAFI_TPP_' + name, value)
    run(lookup)
    cache, options = recorded[0], recorded[0].options
    assert (options['url'], options['client_id'], options['scope'], options['username'], options['password']) == (
        'https://env.example.com', 'env-client', 'certificate', 'env-user', 'env-pass')
    assert (options['auth_method'], options['validate_certs'], options['ca_path'], options['timeout'], options['retries']) == (
        'integrated', False, str(tmp_path / 'ca.pem'), 7, 1)
    assert (cache.kwargs['mode'], cache.kwargs['cache_dir'], cache.kwargs['min_validity']) == ('none', str(tmp_path / 'c'), 120)


def test_variables_win_over_the_environment_and_keyword_arguments_over_variables(lookup, recorded, monkeypatch):  # pylint: disable=redefined-outer-name
    monkeypatch.setenv('VENAFI_TPP_USERNAME', 'env-user')
    monkeypatch.setenv('VENAFI_TPP_CACHE', 'none')
    variables = {'venafi_tpp_username': 'var-user', 'venafi_tpp_password': 'var-pass', 'venafi_tpp_url': 'https://var.example.com',
                 'venafi_tpp_client_id': 'var-client', 'venafi_tpp_scope': 'ssh', 'venafi_tpp_cache': 'memory'}
    run(lookup, variables)
    assert (recorded[0].options['username'], recorded[0].options['password'], recorded[0].kwargs['mode']) == ('var-user', 'var-pass', 'memory')
    run(lookup, variables, username='kw-user', cache='file')
    assert (recorded[1].options['username'], recorded[1].kwargs['mode']) == ('kw-user', 'file')


def test_variables_that_are_templates_are_templated(recorded):  # pylint: disable=redefined-outer-name
    # As in group_vars: the lookup's variables refer to others, such as a vault's. Ansible hands a lookup variables as written.
    variables = {'vault_tpp_password': 'from-the-vault', 'tpp_host': 'tpp.example.com'}
    variables.update(venafi_tpp_password=trust_as_template('{{ vault_tpp_password }}'), venafi_tpp_url=trust_as_template('https://{{ tpp_host }}'),
                     venafi_tpp_client_id='plain', venafi_tpp_username='svc-ansible', venafi_tpp_scope='ssh')
    lookup = lookup_loader.get('venafi_tpp.auth.access_token', loader=DataLoader(), templar=Templar(loader=DataLoader(), variables=variables))
    run(lookup, variables)
    options = recorded[0].options
    assert (options['password'], options['url'], options['client_id']) == ('from-the-vault', 'https://tpp.example.com', 'plain')


def test_client_json_comes_after_keywords_and_variables_and_before_the_environment(lookup, recorded, monkeypatch):  # pylint: disable=redefined-outer-name
    monkeypatch.setenv('VENAFI_TPP_URL', 'https://env.example.com')
    monkeypatch.setenv('VENAFI_TPP_CLIENT_ID', 'env-client')
    monkeypatch.setenv('VENAFI_TPP_SCOPE', 'certificate')
    run(lookup, client_json=json.dumps(CLIENT_JSON), **CREDENTIALS)
    options = recorded[0].options
    assert (options['url'], options['client_id'], options['scope']) == ('https://json.example.com', 'from-client-json', 'ssh:discover')
    run(lookup, {'venafi_tpp_client_id': 'var-client'}, client_json=json.dumps(CLIENT_JSON), scope='ssh', **CREDENTIALS)
    options = recorded[1].options
    assert (options['url'], options['client_id'], options['scope']) == ('https://json.example.com', 'var-client', 'ssh')
    # Without the client JSON, the environment applies.
    run(lookup, **CREDENTIALS)
    options = recorded[2].options
    assert (options['url'], options['client_id'], options['scope']) == ('https://env.example.com', 'env-client', 'certificate')


def test_client_json_from_a_file_in_a_variable(lookup, recorded, tmp_path):  # pylint: disable=redefined-outer-name
    path = tmp_path / 'client.json'
    path.write_text(json.dumps(CLIENT_JSON))
    run(lookup, {'venafi_tpp_client_json': str(path)}, **CREDENTIALS)
    assert recorded[0].options['client_id'] == 'from-client-json'


def test_trust_bundle_is_an_alias_of_ca_path(lookup, recorded, tmp_path):  # pylint: disable=redefined-outer-name
    run(lookup, url='https://tpp.example.com', client_id='c', scope='ssh', trust_bundle=str(tmp_path / 'ca.pem'), **CREDENTIALS)
    assert recorded[0].options['ca_path'] == str(tmp_path / 'ca.pem')


@pytest.mark.parametrize('kwargs, message', [
    ({'scope': 'certificate:bogus'}, "unknown restriction 'bogus' for scope 'certificate'"),
    ({'url': 'http://tpp.example.com'}, 'uses http://; TPP tokens must only travel over TLS'),
    ({'client_json': '{"scope": "ssh"}'}, 'client_json has no client_id'),
    ({'colour': 'blue'}, 'unknown option colour;'),
])
def test_bad_input_is_one_clear_error(lookup, recorded, kwargs, message):  # pylint: disable=redefined-outer-name
    values = dict(url='https://tpp.example.com', client_id='c', scope='ssh', **CREDENTIALS)
    values.update(kwargs)
    with pytest.raises(AnsibleLookupError, match=message) as caught:
        run(lookup, **values)
    assert 'svc-pass-1' not in str(caught.value)
    assert not recorded or not hasattr(recorded[0], 'key')


def test_ansible_checks_the_choices(lookup, recorded):  # pylint: disable=redefined-outer-name
    # ansible-core words it "Invalid value 'disk' for config 'cache'" (2.19) or 'Invalid value "disk" for configuration option' (2.16).
    with pytest.raises(AnsibleError, match="Invalid value .disk. for config"):
        run(lookup, url='https://tpp.example.com', client_id='c', scope='ssh', cache='disk', **CREDENTIALS)


def test_it_takes_no_terms(lookup, recorded):  # pylint: disable=redefined-outer-name
    with pytest.raises(AnsibleLookupError, match='takes no terms'):
        lookup.run(['something'], variables={})


@pytest.mark.parametrize('value, seconds', [('1h', 3600), ('1d12h', 129600), (600, 600), ('600', 600), (0, 0), ('0', 0)])
def test_min_validity_takes_seconds_or_a_duration(lookup, recorded, value, seconds):  # pylint: disable=redefined-outer-name
    run(lookup, url='https://tpp.example.com', client_id='c', scope='ssh', min_validity=value, **CREDENTIALS)
    assert recorded[0].kwargs['min_validity'] == seconds


def test_min_validity_from_the_environment_takes_a_duration(lookup, recorded, monkeypatch):  # pylint: disable=redefined-outer-name
    monkeypatch.setenv('VENAFI_TPP_MIN_VALIDITY', '30m')
    run(lookup, url='https://tpp.example.com', client_id='c', scope='ssh', **CREDENTIALS)
    assert recorded[0].kwargs['min_validity'] == 1800


@pytest.mark.parametrize('value, message', [
    (-60, 'min_validity must be 0 or a positive duration, not -60'),
    ('1y', "min_validity '1y' is not a duration; give seconds such as 86400, or a duration such as 90d"),
])
def test_bad_min_validity_is_one_clear_error(lookup, recorded, value, message):  # pylint: disable=redefined-outer-name
    with pytest.raises(AnsibleLookupError) as caught:
        run(lookup, url='https://tpp.example.com', client_id='c', scope='ssh', min_validity=value, **CREDENTIALS)
    assert str(caught.value).startswith(message)
    assert not recorded


def test_a_bad_cache_mode_lists_the_choices(lookup, recorded):  # pylint: disable=redefined-outer-name
    # ansible-core 2.19 keeps them in a help text that a failed lookup does not show; 2.16 to 2.18 put them in the message.
    with pytest.raises(AnsibleLookupError) as caught:
        run(lookup, url='https://tpp.example.com', client_id='c', scope='ssh', cache='disk', **CREDENTIALS)
    assert 'disk' in str(caught.value)
    assert 'alid values are: file, memory, none' in str(caught.value)


def test_a_missing_url_names_every_place_it_can_come_from(lookup, recorded):  # pylint: disable=redefined-outer-name
    with pytest.raises(AnsibleLookupError) as caught:
        run(lookup, client_id='c', scope='ssh', **CREDENTIALS)
    assert str(caught.value) == ('url is required: the TPP server, for example https://tpp.example.com; set url, the url of client_json, '
                                 'the venafi_tpp_url variable, the VENAFI_TPP_URL environment variable or url in the [venafi_tpp] section '
                                 'of ansible.cfg')


def search_path_lookup(playbook_dir):
    """The lookup as a task in a playbook in ``playbook_dir`` gets it: a loader whose base directory is the playbook's."""
    loader = DataLoader()
    loader.set_basedir(str(playbook_dir))
    return lookup_loader.get('venafi_tpp.auth.access_token', loader=loader, templar=Templar(loader=loader))


@pytest.mark.parametrize('where', ['.', 'files'])
def test_a_relative_client_json_is_found_next_to_the_playbook_not_in_the_working_directory(
        recorded, tmp_path, monkeypatch, where):  # pylint: disable=redefined-outer-name
    playbook_dir, elsewhere = tmp_path / 'playbooks', tmp_path / 'elsewhere'
    (playbook_dir / where).mkdir(parents=True, exist_ok=True)
    elsewhere.mkdir()
    (playbook_dir / where / 'client.json').write_text(json.dumps(CLIENT_JSON))
    (elsewhere / 'client.json').write_text(json.dumps(dict(CLIENT_JSON, client_id='from-the-working-directory')))
    monkeypatch.chdir(elsewhere)
    run(search_path_lookup(playbook_dir), {'ansible_search_path': [str(playbook_dir)]}, client_json='client.json', **CREDENTIALS)
    assert recorded[0].options['client_id'] == 'from-client-json'
    assert recorded[0].options['client_json'] == str(playbook_dir / where / 'client.json')


def test_a_relative_client_json_that_is_not_there_is_one_clear_error(recorded, tmp_path, monkeypatch):  # pylint: disable=redefined-outer-name
    monkeypatch.chdir(tmp_path)
    (tmp_path / 'client.json').write_text(json.dumps(CLIENT_JSON))
    with pytest.raises(AnsibleLookupError) as caught:
        run(search_path_lookup(tmp_path / 'playbooks'), {'ansible_search_path': [str(tmp_path / 'playbooks')]}, client_json='client.json',
            **CREDENTIALS)
    assert str(caught.value).startswith('cannot find client_json file client.json: a relative path is looked for on the controller, in the '
                                        'files/ directory and the directory of the role and of the playbook')
