# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The cache key: the same for the same server, client, scope and identity however they are written; never made of secrets."""

import base64
import datetime
import json
import re
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._cache_key import cache_key, certificate_fingerprint, jwt_claims, key_material

PASSWORD = 'svc-pass-1'
REFRESH_TOKEN = 'f60/oxwEeBAqUSCalEzUJw=='


def jwt(claims, signature='c2lnbmF0dXJl'):
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b'=').decode()
    return '%s.%s.%s' % (part({'alg': 'RS256', 'typ': 'JWT'}), part(claims), signature)


JWT_CLAIMS = {'iss': 'https://idp.example.com', 'sub': 'svc-ansible', 'aud': 'https://tpp.example.com/vedauth', 'exp': 2000000000}


def options(**overrides):
    values = {'url': 'https://tpp.example.com', 'client_id': 'ansible-automation', 'scope': 'certificate:manage',
              'auth_method': 'password', 'username': 'svc-ansible', 'password': PASSWORD}
    values.update(overrides)
    return values


@pytest.fixture(scope='module')
def certificates(tmp_path_factory):
    """Two client certificates (PEM, one with its key in the same file)."""
    folder = tmp_path_factory.mktemp('certs')
    paths = {}
    for label in ('one', 'two'):
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'svc-ansible')])
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
                .sign(key, hashes.SHA256()))
        path = folder / ('%s.pem' % label)
        path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
                         + cert.public_bytes(serialization.Encoding.PEM))
        paths[label] = (str(path), cert.fingerprint(hashes.SHA256()).hex())
    return paths


def test_the_key_is_a_sha256_hex_digest_and_stable():
    key = cache_key(options())
    assert re.match(r'^[0-9a-f]{64}$', key)
    assert cache_key(options()) == key


@pytest.mark.parametrize('change', [
    {'url': 'https://tpp.example.com/vedsdk/'},
    {'url': 'tpp.example.com'},
    {'url': ' https://tpp.example.com/vedauth '},
    {'scope': 'Certificate:Manage;'},
    {'scope': ['certificate:manage']},
    {'scope': {'certificate': ['manage']}},
    {'username': 'SVC-Ansible'},
    {'password': 'another password'},
    {'validate_certs': False, 'ca_path': '/etc/pki/ca.pem', 'timeout': 5, 'retries': 0},
])
def test_spellings_and_non_identity_options_do_not_change_the_key(change):
    assert cache_key(options(**change)) == cache_key(options())


@pytest.mark.parametrize('change', [
    {'url': 'https://tpp2.example.com'},
    {'url': 'https://tpp.example.com:8443'},
    {'url': 'https://tpp.example.com/other'},
    {'client_id': 'Ansible-Automation'},
    {'scope': 'certificate:manage,revoke'},
    {'scope': 'certificate'},
    {'username': 'jdoe'},
    {'auth_method': 'integrated', 'username': 'CORP\\svc-ansible'},
])
def test_each_identity_defining_input_changes_the_key(change):
    assert cache_key(options(**change)) != cache_key(options())


def test_password_and_integrated_with_the_same_user_name_are_told_apart():
    assert cache_key(options(auth_method='integrated')) != cache_key(options())


def test_certificate_identity_is_the_path_and_the_fingerprint(certificates, tmp_path):
    one, one_fingerprint = certificates['one']
    two, two_fingerprint = certificates['two']
    assert certificate_fingerprint(one) == one_fingerprint
    assert certificate_fingerprint(two) == two_fingerprint
    first = cache_key(options(auth_method='certificate', client_cert=one, username=None, password=None))
    assert first == cache_key(options(auth_method='certificate', client_cert=one, client_key=one, username=None, password=None))
    assert first != cache_key(options(auth_method='certificate', client_cert=two, username=None, password=None))
    # The same path with a new certificate in it: another identity, perhaps.
    moving = tmp_path / 'client.pem'
    moving.write_bytes(Path(one).read_bytes())
    before = cache_key(options(auth_method='certificate', client_cert=str(moving)))
    moving.write_bytes(Path(two).read_bytes())
    assert cache_key(options(auth_method='certificate', client_cert=str(moving))) != before
    assert 'PRIVATE KEY' not in key_material(options(auth_method='certificate', client_cert=one))


def test_an_unreadable_certificate_has_no_fingerprint(tmp_path):
    junk = tmp_path / 'junk.pem'
    junk.write_text('not a certificate\n')
    assert certificate_fingerprint(str(junk)) == ''
    assert certificate_fingerprint(str(tmp_path / 'missing.pem')) == ''
    assert certificate_fingerprint('') == ''


def test_jwt_identity_is_issuer_subject_and_audience_never_the_token():
    token = jwt(JWT_CLAIMS)
    assert jwt_claims(token) == {'iss': 'https://idp.example.com', 'sub': 'svc-ansible', 'aud': 'https://tpp.example.com/vedauth'}
    key = cache_key(options(auth_method='jwt', jwt=token))
    # A fresh JWT for the same subject (new expiry, new signature) reuses the cached token.
    assert cache_key(options(auth_method='jwt', jwt=jwt(dict(JWT_CLAIMS, exp=2100000000), signature='b3RoZXI'))) == key
    assert cache_key(options(auth_method='jwt', jwt=jwt(dict(JWT_CLAIMS, sub='jdoe')))) != key
    assert cache_key(options(auth_method='jwt', jwt=jwt(dict(JWT_CLAIMS, iss='https://other.example.com')))) != key
    assert token not in key_material(options(auth_method='jwt', jwt=token))
    assert jwt_claims('not-a-jwt') == {'iss': None, 'sub': None, 'aud': None}
    assert jwt_claims('a.%%%.c') == {'iss': None, 'sub': None, 'aud': None}


def test_refresh_grants_are_told_apart_by_a_digest_of_the_refresh_token_given():
    key = cache_key(options(auth_method='refresh', refresh_token=REFRESH_TOKEN, scope=None))
    assert key != cache_key(options(auth_method='refresh', refresh_token='KT2EEVTIjWM/37L78dqJAg==', scope=None))
    # The refresh method takes no scope.
    assert key == cache_key(options(auth_method='refresh', refresh_token=REFRESH_TOKEN, scope='ssh'))
    assert REFRESH_TOKEN not in key_material(options(auth_method='refresh', refresh_token=REFRESH_TOKEN))


@pytest.mark.parametrize('method', ['password', 'integrated', 'certificate', 'jwt', 'refresh'])
def test_no_secret_is_part_of_the_key_material(method):
    token = jwt(JWT_CLAIMS)
    material = key_material(options(auth_method=method, jwt=token, refresh_token=REFRESH_TOKEN))
    for secret in (PASSWORD, token, token.rsplit('.', 1)[1], REFRESH_TOKEN):
        assert secret not in material


@pytest.mark.parametrize('change, message', [
    ({'scope': 'certificate:bogus'}, "unknown restriction 'bogus'"),
    ({'url': 'http://tpp.example.com'}, 'uses http://'),
    ({'url': None}, 'url is required'),
])
def test_bad_input_fails_before_anything_else(change, message):
    with pytest.raises(TppError, match=message):
        cache_key(options(**change))
