# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The auth methods: offline validate() with a clear message, and the request each authenticate() sends."""

import datetime
import os
import select
import subprocess
import sys
import textwrap
import time

import pytest
import requests
from ansible.module_utils.basic import missing_required_lib
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from requests_ntlm import HttpNtlmAuth

from ansible_collections.venafi_tpp.auth.plugins.module_utils._auth import (
    AUTH_METHODS, CertificateAuth, IntegratedAuth, JwtAuth, PasswordAuth, RefreshAuth, auth_method)
from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError

JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzdmMtYW5zaWJsZSJ9.c2lnbmF0dXJl'
VEDAUTH = 'https://tpp.example.com/vedauth/'
TOKEN = {'access_token': 'KT2EEVTIjWM/37L78dqJAg==', 'refresh_token': 'f60/oxwEeBAqUSCalEzUJw==', 'expires': 1565028229,
         'expires_in': 7775999, 'refresh_until': 1596564229, 'identity': 'local:{198c2d48-9e79-4f10-b871-e2f109476032}',
         'scope': 'certificate:manage', 'token_type': 'Bearer'}


@pytest.fixture(scope='module')
def pki(tmp_path_factory):
    """A self-signed client certificate, its key, another key, both in one file, an encrypted key."""
    folder = tmp_path_factory.mktemp('pki')
    key, other = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'svc-ansible')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1)).sign(key, hashes.SHA256()))
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)

    def key_pem(private, encryption=None):
        return private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption or serialization.NoEncryption())

    files = {'cert': cert_pem, 'key': key_pem(key), 'other_key': key_pem(other), 'combined': cert_pem + key_pem(key),
             'encrypted_key': key_pem(key, serialization.BestAvailableEncryption(b'secret-pass')), 'junk': b'not a PEM file\n'}
    paths = {}
    for label, content in files.items():
        path = folder / ('%s.pem' % label)
        path.write_bytes(content)
        paths[label] = str(path)
    return paths


def options(method, **overrides):
    """Complete options for ``method``; an override of None removes the option."""
    values = {'auth_method': method, 'client_id': 'ansible-demo', 'scope': 'certificate:manage'}
    values.update({
        'password': {'username': 'local:svc-ansible', 'password': 'svc-pass-1'},
        'integrated': {'username': 'CORP\\svc-win', 'password': 'win-pass-1'},
        'certificate': {'client_cert': '/nonexistent/cert.pem'},
        'jwt': {'jwt': JWT},
        'refresh': {'refresh_token': 'f60/oxwEeBAqUSCalEzUJw==', 'scope': None},
    }[method])
    values.update(overrides)
    return dict((key, value) for key, value in values.items() if value is not None)


def refused(function, *args):
    with pytest.raises(TppError) as raised:
        function(*args)
    assert '\n' not in str(raised.value)
    return str(raised.value)


# validate()

@pytest.mark.parametrize('method, name', [
    ('password', 'client_id'), ('password', 'scope'), ('password', 'username'), ('password', 'password'),
    ('integrated', 'client_id'), ('integrated', 'scope'), ('integrated', 'username'), ('integrated', 'password'),
    ('certificate', 'client_id'), ('certificate', 'scope'), ('certificate', 'client_cert'),
    ('jwt', 'client_id'), ('jwt', 'scope'), ('jwt', 'jwt'),
    ('refresh', 'client_id'), ('refresh', 'refresh_token'),
])
@pytest.mark.parametrize('absent', [None, ''])
def test_each_missing_option_is_named(method, name, absent):
    assert refused(auth_method, options(method, **{name: absent})) == 'auth_method %s needs %s' % (method, name)


def test_all_missing_options_are_named_together():
    assert refused(auth_method, {'auth_method': 'password'}) == 'auth_method password needs client_id and scope and username and password'
    assert refused(auth_method, {'auth_method': 'refresh'}) == 'auth_method refresh needs client_id and refresh_token'


@pytest.mark.parametrize('given, method', [
    ({'jwt': JWT}, 'jwt'), ({'client_cert': '/etc/pki/svc.pem'}, 'certificate'), ({'refresh_token': 'f60/oxwEeBAqUSCalEzUJw=='}, 'refresh'),
])
def test_credentials_of_another_method_say_which_auth_method_to_set(given, method):
    option = next(iter(given))
    assert refused(auth_method, options('password', username=None, password=None, **given)) == (
        'auth_method password needs username and password; %s was given: set auth_method: %s to use it' % (option, method))


def test_no_hint_when_the_other_credentials_belong_to_the_method():
    assert refused(auth_method, options('jwt', jwt=None, username='svc-ansible')) == 'auth_method jwt needs jwt'
    assert refused(auth_method, options('certificate', client_cert=None, jwt=None)) == 'auth_method certificate needs client_cert'


@pytest.mark.parametrize('scope, message', [
    ('certificate:mange', "unknown restriction 'mange' for scope 'certificate'; allowed: approve, delete, discover, manage, revoke"),
    ('certficate', "unknown scope 'certficate'; allowed scopes: admin, agent, certificate, codesign, codesignclient, configuration, log, "
                   "restricted, security, ssh, statistics"),
    ('certificate:,manage', "malformed scope 'certificate:,manage': empty restriction; separate restrictions with single commas, "
                            "e.g. certificate:discover,manage"),
])
@pytest.mark.parametrize('method', ['password', 'integrated', 'jwt'])
def test_malformed_scope_is_refused_before_any_request(make_client, transport, method, scope, message):
    client = make_client()
    assert refused(auth_method, options(method, scope=scope)) == message
    # Even a caller that skips validate() cannot send it.
    assert refused(AUTH_METHODS[method](options(method, scope=scope)).authenticate, client) == message
    assert not transport.calls


def test_certificate_scope_is_checked_before_the_files(pki):
    assert refused(auth_method, options('certificate', client_cert=pki['cert'], client_key=pki['key'], scope='ssh:mange')).startswith(
        "unknown restriction 'mange' for scope 'ssh'")


def test_unreadable_client_cert_is_refused(tmp_path):
    missing = str(tmp_path / 'missing.pem')
    assert refused(auth_method, options('certificate', client_cert=missing)) == 'client_cert %s is not a readable file' % missing


def test_unreadable_client_key_is_refused(pki, tmp_path):
    missing = str(tmp_path / 'missing.key')
    assert refused(auth_method, options('certificate', client_cert=pki['cert'], client_key=missing)) == (
        'client_key %s is not a readable file' % missing)


def test_certificate_and_key_that_do_not_match_are_refused(pki):
    message = refused(auth_method, options('certificate', client_cert=pki['cert'], client_key=pki['other_key']))
    assert message.startswith('client_cert %s and client_key %s are not a PEM certificate and its unencrypted private key ('
                              % (pki['cert'], pki['other_key']))
    assert message.endswith('(KEY_VALUES_MISMATCH: the key is not the private key of the certificate)')


def test_client_cert_without_its_key_says_to_set_client_key(pki):
    # Not OpenSSL's "[SSL] PEM lib": the user needs to know that client_key is missing.
    assert refused(auth_method, options('certificate', client_cert=pki['cert'])) == (
        'client_cert %s holds a certificate but no private key; set client_key to the PEM file of its private key' % pki['cert'])


def test_client_cert_that_is_no_certificate_and_no_key_is_not_blamed_on_client_key(pki):
    assert refused(auth_method, options('certificate', client_cert=pki['junk'])).startswith(
        'client_cert %s and client_key (in client_cert) are not a PEM certificate and its unencrypted private key (' % pki['junk'])


def test_junk_key_file_is_refused(pki):
    assert refused(auth_method, options('certificate', client_cert=pki['cert'], client_key=pki['junk'])).startswith(
        'client_cert %s and client_key %s are not a PEM certificate' % (pki['cert'], pki['junk']))


def test_matching_certificate_and_key_pass(pki):
    method = auth_method(options('certificate', client_cert=pki['cert'], client_key=pki['key']))
    assert isinstance(method, CertificateAuth)
    assert isinstance(auth_method(options('certificate', client_cert=pki['combined'])), CertificateAuth)


@pytest.mark.parametrize('jwt', ['not-a-jwt', 'a.b', 'a.b.c.d', 'a b.c.d', 'eyJ.eyJ+x.sig', '.eyJ.sig'])
def test_jwt_that_is_not_three_dot_separated_parts_is_refused(jwt):
    assert refused(auth_method, options('jwt', jwt=jwt)) == 'jwt is not a compact JSON Web Token (three base64url parts separated by dots)'


@pytest.mark.parametrize('jwt', [JWT, '  %s\n' % JWT, 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'])
def test_compact_jwt_passes(jwt):
    assert isinstance(auth_method(options('jwt', jwt=jwt)), JwtAuth)


def test_integrated_without_requests_ntlm_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, 'requests_ntlm', None)  # what Python does when it is not installed: ImportError
    message = refused(auth_method, options('integrated'))
    assert message == ' '.join(missing_required_lib('requests-ntlm', reason='auth_method integrated').split())
    assert message.startswith('Failed to import the required Python library (requests-ntlm) on ')


def test_integrated_with_requests_ntlm_passes():
    assert isinstance(auth_method(options('integrated')), IntegratedAuth)
    assert isinstance(auth_method(options('integrated', username='svc-win@corp.example.com')), IntegratedAuth)


def test_integrated_username_without_a_domain_is_refused_before_any_request(make_client, transport):
    message = ('auth_method integrated needs username as DOMAIN\\user or user@domain, not svc-win; in YAML write CORP\\svc-win unquoted '
               'or in single quotes, or "CORP\\\\svc-win" in double quotes')
    assert refused(auth_method, options('integrated', username='svc-win')) == message
    assert refused(AUTH_METHODS['integrated'](options('integrated', username='svc-win')).validate) == message
    assert not transport.calls


def test_integrated_username_with_two_backslashes_is_refused():
    # What a user gets who copies DOMAIN\\user into single quotes.
    assert refused(auth_method, options('integrated', username='CORP\\\\svc-win')) == (
        'username CORP\\\\svc-win has two backslashes; write one between domain and user, DOMAIN\\user (in YAML double quotes, '
        '"DOMAIN\\\\user")')


@pytest.mark.parametrize('scope', [None, '', 'certificate:manage', 'not a scope:at all'])
def test_refresh_takes_no_scope(scope):
    method = auth_method(options('refresh', scope=scope))
    assert isinstance(method, RefreshAuth)
    assert 'scope' not in method.body()


@pytest.mark.parametrize('name', ['kerberos', 'Password', 'device'])
def test_unknown_auth_method_is_refused_naming_the_allowed_ones(name):
    assert refused(auth_method, options('password', auth_method=name)) == (
        'auth_method must be one of certificate, integrated, jwt, password, refresh, not %r' % name)


@pytest.mark.parametrize('name', [None, ''])
def test_auth_method_defaults_to_password(name):
    assert isinstance(auth_method(options('password', auth_method=name)), PasswordAuth)


# authenticate()

def test_password_request(make_client, transport, response):
    transport.queue(response(200, TOKEN))
    result = auth_method(options('password', scope='SSH;Certificate:Manage,Discover; certificate:manage')).authenticate(make_client())
    call = transport.calls[0]
    assert (call.method, call.url) == ('POST', VEDAUTH + 'authorize/oauth')
    assert call.body == {'client_id': 'ansible-demo', 'scope': 'certificate:discover,manage;ssh',
                         'username': 'local:svc-ansible', 'password': 'svc-pass-1'}
    assert (call.kwargs['auth'], call.kwargs['cert']) == (None, None)
    assert 'Authorization' not in call.headers
    assert result == TOKEN


def test_scope_as_mapping_is_sent_normalised(make_client, transport, response):
    transport.queue(response(200, TOKEN))
    auth_method(options('password', scope={'Certificate': ['manage', 'discover'], 'ssh': []})).authenticate(make_client())
    assert transport.calls[0].body['scope'] == 'certificate:discover,manage;ssh'


def test_password_request_is_safe_to_repeat(make_client, transport, response, sleeps):
    transport.queue(response(500), response(200, TOKEN))
    assert auth_method(options('password')).authenticate(make_client())['access_token'] == TOKEN['access_token']
    assert len(transport.calls) == 2 and sleeps == [0.5]


def test_refresh_request(make_client, transport, response):
    transport.queue(response(200, TOKEN))
    result = auth_method(options('refresh', scope='certificate:manage')).authenticate(make_client())
    call = transport.calls[0]
    assert (call.method, call.url) == ('POST', VEDAUTH + 'authorize/token')
    assert call.body == {'client_id': 'ansible-demo', 'refresh_token': 'f60/oxwEeBAqUSCalEzUJw=='}
    assert result['refresh_token'] == TOKEN['refresh_token']


def test_refresh_is_sent_not_safe_to_repeat(make_client, transport, response):
    client = make_client()
    sent = []
    original = client.request

    def spy(*args, **kwargs):
        sent.append(kwargs.get('safe_to_repeat'))
        return original(*args, **kwargs)

    client.request = spy
    transport.queue(response(200, TOKEN), response(200, TOKEN))
    auth_method(options('refresh')).authenticate(client)
    auth_method(options('password')).authenticate(client)
    assert sent == [False, True]


@pytest.mark.parametrize('failure', [500, 502, requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError])
def test_refresh_is_not_repeated_when_tpp_may_have_used_the_token(make_client, transport, response, sleeps, failure):
    transport.queue(response(failure) if isinstance(failure, int) else failure('lost'), response(200, TOKEN))
    with pytest.raises(TppError):
        auth_method(options('refresh')).authenticate(make_client())
    assert len(transport.calls) == 1 and not sleeps


def test_refresh_is_repeated_when_tpp_did_not_act(make_client, transport, response):
    transport.queue(response(503), response(200, TOKEN))
    assert auth_method(options('refresh')).authenticate(make_client())['access_token'] == TOKEN['access_token']
    assert len(transport.calls) == 2
    assert transport.calls[0].body == transport.calls[1].body


def test_certificate_request_passes_cert_and_key(make_client, transport, response, pki):
    transport.queue(response(200, TOKEN), response(200, TOKEN))
    auth_method(options('certificate', client_cert=pki['cert'], client_key=pki['key'])).authenticate(make_client())
    auth_method(options('certificate', client_cert=pki['combined'])).authenticate(make_client())
    first, second = transport.calls
    assert first.url == VEDAUTH + 'authorize/certificate'
    assert first.body == {'client_id': 'ansible-demo', 'scope': 'certificate:manage'}
    assert first.kwargs['cert'] == (pki['cert'], pki['key'])
    assert second.kwargs['cert'] == pki['combined']


def test_integrated_request_uses_ntlm_not_the_body(make_client, transport, response):
    transport.queue(response(200, TOKEN))
    auth_method(options('integrated')).authenticate(make_client())
    call = transport.calls[0]
    assert call.url == VEDAUTH + 'authorize/integrated'
    assert call.body == {'client_id': 'ansible-demo', 'scope': 'certificate:manage'}
    assert isinstance(call.kwargs['auth'], HttpNtlmAuth)
    assert (call.kwargs['auth'].username, call.kwargs['auth'].password) == ('CORP\\svc-win', 'win-pass-1')


def test_jwt_request(make_client, transport, response):
    transport.queue(response(200, TOKEN))
    auth_method(options('jwt', jwt=' %s ' % JWT)).authenticate(make_client())
    call = transport.calls[0]
    assert call.url == VEDAUTH + 'authorize/jwt'
    assert call.body == {'client_id': 'ansible-demo', 'scope': 'certificate:manage', 'jwt': JWT}


def test_tpp_refusal_names_method_and_client_id(make_client, transport, response):
    transport.queue(response(400, {'error': 'invalid_grant', 'error_description': 'Username or password is incorrect'}))
    with pytest.raises(TppError) as raised:
        auth_method(options('password')).authenticate(make_client())
    assert str(raised.value) == ('TPP refused the password authorization for client_id ansible-demo '
                                 '(HTTP 400 Bad Request; invalid_grant: Username or password is incorrect)')
    assert (raised.value.status, raised.value.error) == (400, 'invalid_grant')


def test_refresh_refusal_in_the_reason_phrase(make_client, transport, response):
    transport.queue(response(400, reason='Grant has been revoked, has expired, or the refresh token is invalid'))
    with pytest.raises(TppError) as raised:
        auth_method(options('refresh')).authenticate(make_client())
    assert str(raised.value) == ('TPP refused the refresh authorization for client_id ansible-demo '
                                 '(HTTP 400 Grant has been revoked, has expired, or the refresh token is invalid)')


def test_certificate_refusal_403_reason_only(make_client, transport, response, pki):
    transport.queue(response(403, reason='Failed to issue grant: User is not authorized for the requested scope'))
    with pytest.raises(TppError) as raised:
        auth_method(options('certificate', client_cert=pki['combined'])).authenticate(make_client())
    assert str(raised.value) == ('TPP refused the certificate authorization for client_id ansible-demo '
                                 '(HTTP 403 Failed to issue grant: User is not authorized for the requested scope)')


def test_server_failure_is_no_refusal_and_names_the_request(make_client, transport, response):
    transport.queue(response(500, {'error': 'server_error', 'error_description': 'boom'}))
    with pytest.raises(TppError) as raised:
        auth_method(options('refresh')).authenticate(make_client())
    assert str(raised.value) == ('POST https://tpp.example.com/vedauth/authorize/token failed '
                                 '(HTTP 500 Internal Server Error; server_error: boom)')
    assert len(transport.calls) == 1


def test_transport_failure_keeps_its_own_message(make_client, transport):
    transport.queue(requests.exceptions.SSLError('certificate verify failed'))
    with pytest.raises(TppError) as raised:
        auth_method(options('password')).authenticate(make_client())
    assert str(raised.value).startswith('TLS error talking to https://tpp.example.com/vedauth/authorize/oauth: certificate verify failed; ')


def test_answer_without_access_token_is_an_error(make_client, transport, response):
    transport.queue(response(200, '<html>login page</html>'))
    with pytest.raises(TppError) as raised:
        auth_method(options('password')).authenticate(make_client())
    assert str(raised.value) == 'TPP answered without an access_token; is url the TPP server?'


@pytest.mark.parametrize('scope', [';', ' ; ', ['']])
def test_scope_without_any_scope_counts_as_missing(make_client, transport, scope):
    # TPP answers an empty scope with a bare "400 Bad Request" (Venafi/terraform-provider-venafi#153); the option is effectively missing.
    assert refused(auth_method, options('password', scope=scope)) == 'auth_method password needs scope'
    assert not transport.calls


VALIDATE_ON_A_TERMINAL = textwrap.dedent('''
    import fcntl, os, sys, termios
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)  # the pty becomes the controlling terminal, as for a user at a shell
    from ansible_collections.venafi_tpp.auth.plugins.module_utils._auth import auth_method
    try:
        auth_method(dict(auth_method='certificate', client_id='c', scope='certificate', client_cert=sys.argv[1], client_key=sys.argv[2]))
        print('RESULT: accepted')
    except Exception as error:
        print('RESULT: %s: %s' % (type(error).__name__, error))
''')


def _validate_on_a_terminal(cert, key, deadline=60):
    """Run validate() in a child whose controlling terminal is a pty; return what it wrote (stops at a prompt)."""
    master, slave = os.openpty()
    child = subprocess.Popen([sys.executable, '-c', VALIDATE_ON_A_TERMINAL, cert, key], stdin=slave, stdout=slave, stderr=slave,
                             env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    os.close(slave)
    output = b''
    try:
        end = time.monotonic() + deadline
        while time.monotonic() < end and b'pass phrase' not in output:
            ready = select.select([master], [], [], 0.2)[0]
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # EIO: the child has exited and closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        os.close(master)
    return output.decode('utf-8', 'replace')


def test_terminal_harness_reports_validate_result(pki):
    output = _validate_on_a_terminal(pki['cert'], pki['key'])
    assert 'RESULT: accepted' in output


def test_encrypted_client_key_fails_fast_instead_of_prompting(pki):
    # With a controlling terminal (ansible-playbook run from a shell), OpenSSL asks "Enter PEM pass phrase:" and the
    # task hangs; the harness stops at the prompt.
    output = _validate_on_a_terminal(pki['cert'], pki['encrypted_key'])
    assert 'pass phrase' not in output
    assert 'RESULT: TppError: client_cert %s and client_key %s' % (pki['cert'], pki['encrypted_key']) in output


def test_requests_ntlm_is_imported_for_integrated_sign_in_only():
    """Every module imports _auth through _module; requests-ntlm (with pyspnego and cryptography) is for integrated only."""
    probe = textwrap.dedent('''
        import sys
        from ansible_collections.venafi_tpp.auth.plugins.module_utils import _module  # noqa: F401
        from ansible_collections.venafi_tpp.auth.plugins.module_utils._auth import auth_method
        method = auth_method(dict(auth_method='password', client_id='c', scope='certificate', username='u', password='p'))
        print('requests_ntlm' in sys.modules)
        auth_method(dict(auth_method='integrated', client_id='c', scope='certificate', username='CORP\\\\u', password='p')).transport()
        print('requests_ntlm' in sys.modules)
    ''')
    result = subprocess.run([sys.executable, '-c', probe], capture_output=True, text=True, check=False,
                            env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ['False', 'True']
