"""The emulator's key material in its work directory: CA, server and client certificates, JWT keys.

An existing CA (and existing JWT keys) are reused so that trust survives restarts; the server and
client certificates are issued afresh on every start. Private keys are unencrypted PEM, mode 0600.
"""

import datetime
import ipaddress
import os
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CLIENT_NAMES = ("svc-ansible", "jdoe")
CA_LIFETIME = datetime.timedelta(days=3650)
LEAF_LIFETIME = datetime.timedelta(days=825)
BACKDATE = datetime.timedelta(days=1)


def atomic_write(path, data, mode=0o644):
    """Write ``data`` (bytes or str) to ``path`` via a temporary file and rename, with ``mode``."""
    directory = os.path.dirname(path) or "."
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data.encode() if isinstance(data, str) else data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _key_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def _cert_pem(certificate):
    return certificate.public_bytes(serialization.Encoding.PEM)


def _load_or_create_key(path, generate):
    if os.path.exists(path):
        with open(path, "rb") as stream:
            return serialization.load_pem_private_key(stream.read(), password=None)
    key = generate()
    atomic_write(path, _key_pem(key), 0o600)
    return key


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "TPP Emulator"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _builder(subject, issuer, public_key, lifetime):
    now = datetime.datetime.now(datetime.timezone.utc)
    return (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
            .serial_number(x509.random_serial_number()).not_valid_before(now - BACKDATE).not_valid_after(now + lifetime)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False))


def _new_ca(workdir):
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name("TPP Emulator CA")
    certificate = (_builder(subject, subject, key.public_key(), CA_LIFETIME)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                   .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                                encipher_only=False, decipher_only=False), critical=True)
                   .sign(key, hashes.SHA256()))
    atomic_write(os.path.join(workdir, "ca-key.pem"), _key_pem(key), 0o600)
    atomic_write(os.path.join(workdir, "ca.pem"), _cert_pem(certificate))
    return certificate, key


def load_or_create_ca(workdir):
    """The CA certificate and key in ``workdir``, created when either file is missing."""
    cert_path, key_path = os.path.join(workdir, "ca.pem"), os.path.join(workdir, "ca-key.pem")
    if not (os.path.exists(cert_path) and os.path.exists(key_path)):
        return _new_ca(workdir)
    with open(cert_path, "rb") as stream:
        certificate = x509.load_pem_x509_certificate(stream.read())
    with open(key_path, "rb") as stream:
        key = serialization.load_pem_private_key(stream.read(), password=None)
    return certificate, key


def issue(ca, common_name, usage, alt_names=(), key=None):
    """Issue a leaf certificate from ``ca`` (certificate, key); returns (certificate, key)."""
    ca_certificate, ca_key = ca
    key = key or ec.generate_private_key(ec.SECP256R1())
    builder = (_builder(_name(common_name), ca_certificate.subject, key.public_key(), LEAF_LIFETIME)
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False))
    if alt_names:
        builder = builder.add_extension(x509.SubjectAlternativeName(list(alt_names)), critical=False)
    return builder.sign(ca_key, hashes.SHA256()), key


def _general_name(host):
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def _write_pair(cert_path, key_path, pair):
    certificate, key = pair
    atomic_write(key_path, _key_pem(key), 0o600)
    atomic_write(cert_path, _cert_pem(certificate))


def prepare(workdir, host):
    """Create or refresh every certificate and key file the README lists; returns the server cert's DER."""
    ca = load_or_create_ca(workdir)
    alt_names = []
    for name in ("127.0.0.1", "localhost", host):
        general_name = _general_name(name)
        if general_name not in alt_names:
            alt_names.append(general_name)
    server = issue(ca, host, ExtendedKeyUsageOID.SERVER_AUTH, alt_names)
    _write_pair(os.path.join(workdir, "server.pem"), os.path.join(workdir, "server-key.pem"), server)
    for name in CLIENT_NAMES:
        _write_pair(os.path.join(workdir, "clients", name + ".pem"), os.path.join(workdir, "clients", name + ".key"),
                    issue(ca, name, ExtendedKeyUsageOID.CLIENT_AUTH))
    return server[0].public_bytes(serialization.Encoding.DER)


def jwt_public_keys(workdir):
    """The trusted JWT verification keys, {alg: public key}, creating the signing keys when missing."""
    rsa_key = _load_or_create_key(os.path.join(workdir, "jwt", "signing-key.pem"),
                                  lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048))
    ec_key = _load_or_create_key(os.path.join(workdir, "jwt", "signing-key-es256.pem"),
                                 lambda: ec.generate_private_key(ec.SECP256R1()))
    return {"RS256": rsa_key.public_key(), "ES256": ec_key.public_key()}
