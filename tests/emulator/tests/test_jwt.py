# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""POST /vedauth/authorize/jwt against the seeded JWT mapping.

JWTs are minted here with ``cryptography`` (independently of the emulator's own minting), and
once each through ``mint_jwt.py`` and ``tpp_emulator.jwt.mint``, the two documented ways.
"""

import base64
import hashlib
import hmac
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from emulator_support import EMULATOR_DIR, JWT, JWT_ISSUER, MINT_JWT, SDK_CLIENT, SVC_ID, JDOE_ID, error_of
from emulator_support import authorize_jwt as authorize, rejected_grant as rejected


def b64url(data):
    """Unpadded base64url."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint(key, claims, alg="RS256", header=None):
    """A compact JWT signed with ``key`` (RSA, EC P-256, HMAC secret bytes, or None for alg none)."""
    head = {"alg": alg, "typ": "JWT"}
    head.update(header or {})
    signing_input = "%s.%s" % (b64url(json.dumps(head).encode()), b64url(json.dumps(claims).encode()))
    data = signing_input.encode()
    if alg == "RS256":
        signature = key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    elif alg == "ES256":
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    elif alg == "HS256":
        signature = hmac.new(key, data, hashlib.sha256).digest()
    else:
        signature = b""
    return "%s.%s" % (signing_input, b64url(signature))


def load_key(workdir, name):
    """A private key from DIR/jwt/."""
    return serialization.load_pem_private_key((Path(workdir) / "jwt" / name).read_bytes(), password=None)


@pytest.fixture
def rsa_key(api):
    """The trusted RS256 key."""
    return load_key(api.workdir, "signing-key.pem")


@pytest.fixture
def ec_key(api):
    """The trusted ES256 key."""
    return load_key(api.workdir, "signing-key-es256.pem")


@pytest.fixture
def claims(api):
    """Valid claims for svc-ansible, on the server clock."""
    now = int(api.now())
    return {"iss": JWT_ISSUER, "aud": api.url + "/vedauth", "sub": "svc-ansible", "iat": now, "nbf": now, "exp": now + 300}


def test_mapping_file(api):
    mapping = json.loads((api.workdir / "jwt" / "mapping.json").read_text(encoding="utf-8"))
    assert mapping["issuer"] == JWT_ISSUER
    assert mapping["audience"] == api.url + "/vedauth"


def test_key_types(rsa_key, ec_key):
    assert isinstance(rsa_key, rsa.RSAPrivateKey)
    assert isinstance(ec_key, ec.EllipticCurvePrivateKey) and ec_key.curve.name == "secp256r1"


def test_valid_rs256(api, rsa_key, claims):
    response = authorize(api, mint(rsa_key, claims, "RS256"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["identity"] == SVC_ID
    assert body["scope"] == "certificate:manage"
    assert body["expires_in"] == 7775999
    assert api.verify(body["access_token"]).json()["identity"] == SVC_ID


def test_valid_es256(api, ec_key, claims):
    response = authorize(api, mint(ec_key, dict(claims, sub="jdoe"), "ES256"), scope="ssh:discover")
    assert response.status_code == 200, response.text
    assert response.json()["identity"] == JDOE_ID
    assert response.json()["scope"] == "ssh:discover"


def test_subject_with_prefix(api, rsa_key, claims):
    response = authorize(api, mint(rsa_key, dict(claims, sub="local:svc-ansible")))
    assert response.status_code == 200, response.text
    assert response.json()["identity"] == SVC_ID


def test_wrong_issuer(api, rsa_key, claims):
    rejected(authorize(api, mint(rsa_key, dict(claims, iss="https://evil.example"))), "iss")


def test_missing_issuer(api, rsa_key, claims):
    rejected(authorize(api, mint(rsa_key, {k: v for k, v in claims.items() if k != "iss"})), "iss")


def test_expired(api, rsa_key, claims):
    now = claims["iat"]
    rejected(authorize(api, mint(rsa_key, dict(claims, iat=now - 600, nbf=now - 600, exp=now - 120))), "expir")


def test_expired_on_the_server_clock(api, rsa_key, claims):
    token = mint(rsa_key, claims)
    api.advance(300 + 61)
    rejected(authorize(api, token), "expir")


def test_within_clock_skew_not_yet_valid_is_accepted(api, rsa_key, claims):
    now = claims["iat"]
    response = authorize(api, mint(rsa_key, dict(claims, nbf=now + 30, iat=now + 30)))
    assert response.status_code == 200, response.text


def test_not_yet_valid(api, rsa_key, claims):
    now = claims["iat"]
    rejected(authorize(api, mint(rsa_key, dict(claims, nbf=now + 600, iat=now + 600, exp=now + 900))),
             "valid", "nbf", "before", "future")


def test_bad_signature_other_rsa_key(api, claims):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rejected(authorize(api, mint(other, claims, "RS256")), "signature")


def test_bad_signature_other_ec_key(api, claims):
    other = ec.generate_private_key(ec.SECP256R1())
    rejected(authorize(api, mint(other, claims, "ES256")), "signature")


def test_tampered_payload(api, rsa_key, claims):
    token = mint(rsa_key, claims)
    head, signature = token.split(".")[0], token.split(".")[2]
    forged = b64url(json.dumps(dict(claims, sub="jdoe")).encode())
    rejected(authorize(api, "%s.%s.%s" % (head, forged, signature)), "signature")


def test_alg_none_is_refused(api, claims):
    rejected(authorize(api, mint(None, claims, "none")))


def test_hs256_with_public_key_as_secret_is_refused(api, rsa_key, claims):
    public_pem = rsa_key.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo)
    rejected(authorize(api, mint(public_pem, claims, "HS256")))


def test_wrong_audience(api, rsa_key, claims):
    rejected(authorize(api, mint(rsa_key, dict(claims, aud="https://other.example/vedauth"))), "aud")


def test_unknown_subject(api, rsa_key, claims):
    rejected(authorize(api, mint(rsa_key, dict(claims, sub="ghost"))), "sub", "ghost", "identity", "user")


@pytest.mark.parametrize("token", ["not-a-jwt", "a.b.c", "a.b", "eyJhbGciOiJSUzI1NiJ9.e30."])
def test_malformed(api, token):
    rejected(authorize(api, token))


def test_missing_jwt_is_invalid_request(api):
    response = api.post(JWT, {"client_id": SDK_CLIENT, "scope": "certificate:manage"})
    assert response.status_code == 400
    assert error_of(response)[0] == "invalid_request"


def test_unknown_client_before_jwt_checks(api, rsa_key, claims):
    response = authorize(api, mint(rsa_key, dict(claims, iss="https://evil.example")), client_id="nope")
    assert response.status_code == 400
    assert error_of(response)[0] == "invalid_client"


def test_jwt_checks_before_scope(api, rsa_key, claims):
    response = authorize(api, mint(rsa_key, dict(claims, aud="x")), scope="bogus")
    assert error_of(response)[0] == "invalid_grant"


def test_scope_beyond_integration(api, rsa_key, claims):
    response = authorize(api, mint(rsa_key, claims), scope="admin:delete")
    assert response.status_code == 400
    assert error_of(response)[0] == "invalid_scope"


def run_mint(api, *args):
    """python tests/emulator/mint_jwt.py --workdir DIR ...; the compact JWT it prints."""
    result = subprocess.run([sys.executable, str(MINT_JWT), "--workdir", str(api.workdir)] + list(args),
                            capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert token.count(".") == 2, result.stdout
    return token


def test_mint_jwt_script(api):
    response = authorize(api, run_mint(api, "--sub", "svc-ansible"))
    assert response.status_code == 200, response.text
    assert response.json()["identity"] == SVC_ID
    response = authorize(api, run_mint(api, "--sub", "jdoe", "--alg", "ES256", "--ttl", "60"))
    assert response.status_code == 200, response.text
    assert response.json()["identity"] == JDOE_ID


def test_mint_jwt_script_options_are_honoured(api):
    rejected(authorize(api, run_mint(api, "--sub", "svc-ansible", "--iss", "https://evil.example")), "iss")
    rejected(authorize(api, run_mint(api, "--sub", "svc-ansible", "--aud", "https://x.example/vedauth")), "aud")
    token = run_mint(api, "--sub", "svc-ansible", "--ttl", "5")
    api.advance(5 + 65)
    rejected(authorize(api, token), "expir")


def test_tpp_emulator_jwt_mint(api, claims):
    sys.path.insert(0, str(EMULATOR_DIR))
    try:
        module = importlib.import_module("tpp_emulator.jwt")
    finally:
        sys.path.remove(str(EMULATOR_DIR))
    key_pem = (api.workdir / "jwt" / "signing-key-es256.pem").read_bytes()
    response = authorize(api, module.mint(key_pem, claims, "ES256"))
    assert response.status_code == 200, response.text
    assert response.json()["identity"] == SVC_ID
