# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""POST /vedauth/authorize/certificate over mutual TLS."""

import datetime
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from emulator_support import CERT_REQUIRED, GRANT_ISSUANCE_DENIED, JDOE_ID, PASSWORDS, SDK_CLIENT, SVC_ID, error_of

CERTIFICATE = "/vedauth/authorize/certificate"
BODY = {"client_id": SDK_CLIENT, "scope": "certificate:manage"}


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_ca(common_name):
    """A self-signed CA: (certificate, key)."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(_name(common_name))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return cert, key


def issue_client(directory, common_name, ca_cert, ca_key):
    """Write a client certificate signed by ``ca_key``; return (cert path, key path)."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(ca_cert.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    directory = Path(directory)
    cert_path = directory / (common_name + ".pem")
    key_path = directory / (common_name + ".key")
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


def emulator_ca(workdir):
    """The emulator's CA certificate and key from the workdir."""
    workdir = Path(workdir)
    cert = x509.load_pem_x509_certificate((workdir / "ca.pem").read_bytes())
    key = serialization.load_pem_private_key((workdir / "ca-key.pem").read_bytes(), password=None)
    return cert, key


def seeded_cert(workdir, user):
    """The seeded client certificate of ``user``."""
    clients = Path(workdir) / "clients"
    return str(clients / (user + ".pem")), str(clients / (user + ".key"))


@pytest.fixture
def session():
    """A fresh session so no pooled connection carries another certificate."""
    with requests.Session() as value:
        yield value


def test_seeded_certificate(api, session):
    response = api.post(CERTIFICATE, BODY, cert=seeded_cert(api.workdir, "svc-ansible"), session=session)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["identity"] == SVC_ID
    assert body["scope"] == "certificate:manage"
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 7775999
    info = api.verify(body["access_token"]).json()
    assert info["identity"] == SVC_ID and info["application"] == SDK_CLIENT


def test_jdoe_certificate(api, session):
    response = api.post(CERTIFICATE, dict(BODY, scope="Certificate:Discover"), cert=seeded_cert(api.workdir, "jdoe"),
                        session=session)
    assert response.status_code == 200, response.text
    assert response.json()["identity"] == JDOE_ID
    assert response.json()["scope"] == "certificate:discover"


def test_seeded_certificate_is_cn_svc_ansible_from_the_emulator_ca(api):
    cert = x509.load_pem_x509_certificate(Path(seeded_cert(api.workdir, "svc-ansible")[0]).read_bytes())
    ca_cert = emulator_ca(api.workdir)[0]
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "svc-ansible"
    assert cert.issuer == ca_cert.subject
    cert.verify_directly_issued_by(ca_cert)


def test_no_client_certificate(api, session):
    response = api.post(CERTIFICATE, BODY, session=session)
    assert response.status_code == 400
    assert response.reason == GRANT_ISSUANCE_DENIED
    assert response.json() == {"error": "invalid_grant", "error_description": CERT_REQUIRED}


def test_cn_of_no_user(api, session, tmp_path):
    ca_cert, ca_key = emulator_ca(api.workdir)
    cert = issue_client(tmp_path, "ghost", ca_cert, ca_key)
    response = api.post(CERTIFICATE, BODY, cert=cert, session=session)
    assert response.status_code == 400
    assert response.reason == GRANT_ISSUANCE_DENIED
    assert error_of(response)[0] == "invalid_grant"
    assert api.stats()["active_grants"] == 0


def test_certificate_issued_by_the_emulator_ca_for_a_user(api, session, tmp_path):
    ca_cert, ca_key = emulator_ca(api.workdir)
    cert = issue_client(tmp_path, "jdoe", ca_cert, ca_key)
    response = api.post(CERTIFICATE, BODY, cert=cert, session=session)
    assert response.status_code == 200, response.text
    assert response.json()["identity"] == JDOE_ID


@pytest.mark.parametrize("cn", ["svc-ansible", "ghost"])
def test_foreign_ca_fails_the_handshake(api, tmp_path, cn):
    ca_cert, ca_key = make_ca("Foreign Test CA")
    cert = issue_client(tmp_path, cn, ca_cert, ca_key)
    with requests.Session() as session:
        with pytest.raises(requests.exceptions.ConnectionError) as info:
            session.post(api.url + CERTIFICATE, json=BODY, cert=cert, verify=api.ca_path, timeout=10)
    if isinstance(info.value, requests.exceptions.SSLError):
        assert "unknown ca" in str(info.value).lower() or "certificate" in str(info.value).lower(), info.value
    # the server carries on
    assert api.post(CERTIFICATE, BODY, cert=seeded_cert(api.workdir, "svc-ansible")).status_code == 200
    assert api.stats()["active_grants"] == 1


def test_empty_scope(api, session):
    response = api.post(CERTIFICATE, dict(BODY, scope=""), cert=seeded_cert(api.workdir, "svc-ansible"), session=session)
    assert response.status_code == 400
    assert response.reason == GRANT_ISSUANCE_DENIED
    assert error_of(response)[0] == "invalid_request"


def test_unknown_client(api, session):
    response = api.post(CERTIFICATE, dict(BODY, client_id="nope"), cert=seeded_cert(api.workdir, "svc-ansible"),
                        session=session)
    assert response.status_code == 400
    assert error_of(response)[0] == "invalid_client"


def test_scope_beyond_integration(api, session):
    response = api.post(CERTIFICATE, dict(BODY, scope="statistics"), cert=seeded_cert(api.workdir, "svc-ansible"),
                        session=session)
    assert response.status_code == 400
    assert error_of(response)[0] == "invalid_scope"
    assert "statistics" in error_of(response)[1]


def test_client_certificate_is_ignored_elsewhere(api, session):
    # a client certificate on a password grant does not change the identity
    body = {"client_id": SDK_CLIENT, "username": "jdoe", "password": PASSWORDS["jdoe"], "scope": "certificate"}
    response = api.post("/vedauth/authorize/oauth", body, cert=seeded_cert(api.workdir, "svc-ansible"), session=session)
    assert response.status_code == 200
    assert response.json()["identity"] == JDOE_ID
