# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The test identity provider under /_idp/ and authorize/jwt through JWT mappings: the emulator fetches the
provider's keys from itself over HTTPS (OIDC discovery or a mapping's JwksUri)."""

import base64
import http.server
import json
import threading

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from emulator_support import ADMIN_CLIENT, IDP, JDOE_ID, SDK_CLIENT, SVC_ID, authorize_jwt, error_of, rejected_grant

SKEW = 60  # the seed's clock skew for JWTs


@pytest.fixture
def admin(api):
    return api.admin_token()


def idp_issuer(api):
    return api.url + IDP


def mint(api, sub="svc-ansible", **body):
    """POST /_idp/mint; the JWT."""
    response = api.post(IDP + "/mint", dict(body, sub=sub))
    assert response.status_code == 200, response.text
    assert list(response.json()) == ["jwt"]
    return response.json()["jwt"]


def idp_keys(api):
    response = api.get(IDP + "/jwks")
    assert response.status_code == 200, response.text
    return response.json()["keys"]


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def parts(token):
    """(header, claims) of a compact JWT."""
    return tuple(json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))) for part in token.split(".")[:2])


def sign_rs256(private_key, header, claims):
    """A compact RS256 JWT, signed here (not by the emulator)."""
    signing_input = "%s.%s" % (b64url(json.dumps(header).encode()), b64url(json.dumps(claims).encode()))
    return "%s.%s" % (signing_input, b64url(private_key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())))


def create_mapping(api, admin, name="test-idp", **fields):
    """A JWT mapping (default: the test IdP through discovery, aud = {url}/vedauth, sub names the user)."""
    body = {"Name": name, "IssuerUri": idp_issuer(api), "PurposeField": "aud", "PurposeMatch": api.url + "/vedauth",
            "IdField": "sub", "IdMatch": "^(.+)$"}
    body.update(fields)
    body = {key: value for key, value in body.items() if value is not None}
    answer = api.oauth("CreateJwtMapping", body, admin)
    assert answer["Success"], answer
    return body


@pytest.fixture
def idp_mapping(api, admin):
    return create_mapping(api, admin)


def signed_in(response, identity=SVC_ID):
    assert response.status_code == 200, response.text
    assert response.json()["identity"] == identity
    return response.json()


def signed_in_or_refused(response, accepted, reason):
    """signed_in when ``accepted``, else refused with ``reason`` in the description; returns the description."""
    if accepted:
        signed_in(response)
        return None
    return rejected_grant(response, reason)


# ---- the identity provider -----------------------------------------------------------------------

def test_discovery_document(api):
    response = api.get(IDP + "/.well-known/openid-configuration")
    assert response.status_code == 200, response.text
    document = response.json()
    assert document["issuer"] == idp_issuer(api)
    assert document["jwks_uri"] == idp_issuer(api) + "/jwks"
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]


def test_jwks_holds_one_rsa_key_and_mint_signs_with_it(api):
    (key,) = idp_keys(api)
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig" and key["kid"]
    header, claims = parts(mint(api, aud="https://tpp.example/vedauth", expires_in=120))
    assert header == {"alg": "RS256", "typ": "JWT", "kid": key["kid"]}
    assert claims["iss"] == idp_issuer(api) and claims["sub"] == "svc-ansible" and claims["aud"] == "https://tpp.example/vedauth"
    assert claims["iat"] == claims["nbf"] and claims["exp"] == claims["iat"] + 120 and claims["jti"]
    assert abs(claims["iat"] - api.now()) < 5


def test_mint_defaults_and_extra_claims(api):
    api.advance(1000)
    claims = parts(mint(api, claims={"nbf": 5, "repository": "acme/app", "aud": ["a", "b"]}))[1]
    assert claims["aud"] == ["a", "b"] and claims["nbf"] == 5 and claims["repository"] == "acme/app"
    assert claims["exp"] - claims["iat"] == 300
    assert abs(claims["iat"] - api.now()) < 5  # the server clock
    claims = parts(mint(api))[1]
    assert claims["aud"] == api.url + "/vedauth"


def test_rotate_replaces_the_key(api):
    (old,) = idp_keys(api)
    response = api.post(IDP + "/rotate", {})
    assert response.status_code == 200, response.text
    (new,) = idp_keys(api)
    assert response.json() == {"kid": new["kid"]} and new["kid"] != old["kid"] and new["n"] != old["n"]
    assert parts(mint(api))[0]["kid"] == new["kid"]


@pytest.mark.parametrize("body", [{}, {"sub": ""}, {"sub": "x", "expires_in": "300"}, {"sub": "x", "expires_in": True},
                                  {"sub": "x", "aud": 5}, {"sub": "x", "aud": []}, {"sub": "x", "claims": []}])
def test_mint_refuses_bad_input(api, body):
    response = api.post(IDP + "/mint", body)
    assert response.status_code == 400 and error_of(response)[0] == "invalid_request", response.text


def test_provider_calls_and_key_fetches_are_not_counted(api, idp_mapping):
    before = api.stats()["requests"]
    signed_in(authorize_jwt(api, mint(api)))
    idp_keys(api)
    assert api.stats()["requests"] == dict(before, **{"POST /vedauth/authorize/jwt": 1})


# ---- sign-in through a mapping of the provider ----------------------------------------------------

def test_no_mapping_trusts_the_provider_until_one_is_created(api, admin):
    token = mint(api)
    assert "not trusted" in rejected_grant(authorize_jwt(api, token), "iss")
    create_mapping(api, admin)
    body = signed_in(authorize_jwt(api, token))
    assert api.verify(body["access_token"]).json()["identity"] == SVC_ID


def test_deleting_the_mapping_makes_the_next_sign_in_fail(api, admin, idp_mapping):
    signed_in(authorize_jwt(api, mint(api)))
    assert api.oauth("DeleteJwtMapping", {"Name": idp_mapping["Name"]}, admin)["Success"]
    rejected_grant(authorize_jwt(api, mint(api)), "not trusted")


def test_the_key_the_provider_rotated_away_is_refused(api, idp_mapping):
    old = mint(api)
    signed_in(authorize_jwt(api, old))
    api.post(IDP + "/rotate", {})
    rejected_grant(authorize_jwt(api, old), "kid")
    signed_in(authorize_jwt(api, mint(api)))


def test_a_token_signed_with_another_key_under_the_providers_kid(api, idp_mapping):
    (key,) = idp_keys(api)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    header, claims = parts(mint(api))
    assert header["kid"] == key["kid"]
    rejected_grant(authorize_jwt(api, sign_rs256(other, header, claims)), "signature")


@pytest.mark.parametrize("aud, accepted", [
    ("https://other.example/vedauth", False),
    (["https://other.example/vedauth"], False),
    (["https://other.example/vedauth", "{url}/vedauth"], True),
])
def test_audience(api, idp_mapping, aud, accepted):
    aud = json.loads(json.dumps(aud).replace("{url}", api.url))
    signed_in_or_refused(authorize_jwt(api, mint(api, aud=aud)), accepted, "aud")


def test_the_purpose_field_is_the_mappings(api, admin):
    create_mapping(api, admin, PurposeField="environment", PurposeMatch="production")
    signed_in(authorize_jwt(api, mint(api, aud="anything", claims={"environment": "production"})))
    rejected_grant(authorize_jwt(api, mint(api, claims={"environment": "staging"})), "environment")
    rejected_grant(authorize_jwt(api, mint(api)), "environment")


@pytest.mark.parametrize("expires_in, accepted", [(-(SKEW - 30), True), (-(SKEW + 30), False)])
def test_expiry_with_the_clock_skew(api, idp_mapping, expires_in, accepted):
    signed_in_or_refused(authorize_jwt(api, mint(api, expires_in=expires_in)), accepted, "expired")


def test_expiry_on_the_server_clock(api, idp_mapping):
    token = mint(api, expires_in=100)
    api.advance(100 + SKEW - 10)
    signed_in(authorize_jwt(api, token))
    api.advance(20)
    rejected_grant(authorize_jwt(api, token), "expired")


@pytest.mark.parametrize("claim", ["nbf", "iat"])
@pytest.mark.parametrize("ahead, accepted", [(SKEW - 30, True), (SKEW + 30, False)])
def test_not_yet_valid_with_the_clock_skew(api, idp_mapping, claim, ahead, accepted):
    description = signed_in_or_refused(authorize_jwt(api, mint(api, claims={claim: int(api.now()) + ahead})), accepted, "not yet valid")
    assert accepted or claim in description


def test_a_token_without_exp_is_refused(api, idp_mapping):
    rejected_grant(authorize_jwt(api, mint(api, claims={"exp": None})), "'exp'")


def test_id_match_group_names_the_user(api, admin):
    create_mapping(api, admin, IdMatch="^ci:(.+)$")
    signed_in(authorize_jwt(api, mint(api, sub="ci:svc-ansible")))
    signed_in(authorize_jwt(api, mint(api, sub="ci:local:jdoe")), JDOE_ID)
    signed_in(authorize_jwt(api, mint(api, sub="ci:" + JDOE_ID)), JDOE_ID)  # a prefixed universal
    rejected_grant(authorize_jwt(api, mint(api, sub="svc-ansible")), "idmatch")
    rejected_grant(authorize_jwt(api, mint(api, sub="ci:ghost")), "names no tpp user")
    rejected_grant(authorize_jwt(api, mint(api, sub="ci:PKI Operators")), "names no tpp user")  # a team


def test_the_id_field_is_the_mappings(api, admin):
    create_mapping(api, admin, IdField="email", IdMatch="^(.+)@example[.]com$")
    signed_in(authorize_jwt(api, mint(api, sub="1234", claims={"email": "jdoe@example.com"})), JDOE_ID)
    rejected_grant(authorize_jwt(api, mint(api, sub="jdoe")), "email")


def test_a_fixed_identity_with_id_match_as_a_filter(api, admin):
    create_mapping(api, admin, IdMatch="^repo:acme/", GranteePrefixedUniversal=JDOE_ID)
    signed_in(authorize_jwt(api, mint(api, sub="repo:acme/app:ref:refs/heads/main")), JDOE_ID)
    rejected_grant(authorize_jwt(api, mint(api, sub="repo:evil/app:ref:refs/heads/main")), "idmatch")


def test_a_fixed_identity_without_id_match(api, admin):
    create_mapping(api, admin, IdMatch=None, GranteePrefixedUniversal=JDOE_ID)
    signed_in(authorize_jwt(api, mint(api, sub="system:serviceaccount:ci:deployer")), JDOE_ID)


def test_jwks_uri_instead_of_discovery(api, admin):
    # This issuer does not exist: only the JwksUri lets the emulator find its keys.
    issuer = "https://ci.example.test"
    create_mapping(api, admin, IssuerUri=issuer, JwksUri=api.url + IDP + "/jwks")
    old = mint(api, claims={"iss": issuer})
    signed_in(authorize_jwt(api, old))
    api.post(IDP + "/rotate", {})
    rejected_grant(authorize_jwt(api, old), "kid")
    signed_in(authorize_jwt(api, mint(api, claims={"iss": issuer})))


def test_discovery_is_needed_without_a_jwks_uri(api, admin):
    issuer = "https://127.0.0.1:1/ci"  # nothing listens on port 1
    create_mapping(api, admin, IssuerUri=issuer)
    rejected_grant(authorize_jwt(api, mint(api, claims={"iss": issuer})), "could not be fetched")


def test_the_discovery_documents_issuer_must_be_the_mappings(api, admin):
    # The same provider spelled differently: its discovery document names the 127.0.0.1 issuer.
    issuer = idp_issuer(api).replace("127.0.0.1", "localhost")
    create_mapping(api, admin, IssuerUri=issuer)
    assert idp_issuer(api) in rejected_grant(authorize_jwt(api, mint(api, claims={"iss": issuer})), "discovery")


def test_discovery_of_an_issuer_with_a_trailing_slash(api, admin):
    # The document is found at {url}/_idp/.well-known/... (no double slash), and then names the issuer without the slash.
    issuer = idp_issuer(api) + "/"
    create_mapping(api, admin, IssuerUri=issuer)
    assert "names the issuer '%s'" % idp_issuer(api) in rejected_grant(authorize_jwt(api, mint(api, claims={"iss": issuer})), "discovery")


@pytest.mark.parametrize("fields", [{"IssuerUri": "{http}"}, {"JwksUri": "{http}/jwks"}])
def test_keys_come_over_https_only(api, admin, fields):
    http_issuer = idp_issuer(api).replace("https://", "http://")
    fields = {key: value.replace("{http}", http_issuer) for key, value in fields.items()}
    create_mapping(api, admin, **fields)
    issuer = fields.get("IssuerUri", idp_issuer(api))
    rejected_grant(authorize_jwt(api, mint(api, claims={"iss": issuer})), "https")


def cache_switches(api, admin, **switches):
    """Read-modify-write the token settings' JwtConfiguration.CacheConfiguration."""
    configuration = api.oauth("GetConfiguration", {}, admin)["Configuration"]
    configuration["JwtConfiguration"]["CacheConfiguration"].update(switches)
    assert api.oauth("SetConfiguration", {"Configuration": configuration}, admin)["Success"] is True


@pytest.fixture
def http_key_set(api):
    """The provider's key set served over plain HTTP by a throwaway loopback server of this test; its URL."""
    document = json.dumps({"keys": idp_keys(api)}).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802  pylint: disable=invalid-name
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(document)))
            self.end_headers()
            self.wfile.write(document)

        def log_message(self, *args):  # pylint: disable=arguments-differ
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "http://127.0.0.1:%d/jwks" % server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_no_https_lets_keys_come_over_http(api, admin, http_key_set):
    create_mapping(api, admin, JwksUri=http_key_set)
    token = mint(api)
    rejected_grant(authorize_jwt(api, token), "https")
    cache_switches(api, admin, NoHttps=True)
    signed_in(authorize_jwt(api, token))


def test_no_oidc_issuer_check_takes_the_discovery_document_as_it_is(api, admin):
    issuer = idp_issuer(api) + "/"  # its discovery document names the issuer without the slash
    create_mapping(api, admin, IssuerUri=issuer)
    token = mint(api, claims={"iss": issuer})
    rejected_grant(authorize_jwt(api, token), "discovery")
    cache_switches(api, admin, NoOidcIssuerCheck=True)
    signed_in(authorize_jwt(api, token))


def test_a_jwks_uri_that_is_not_a_key_set(api, admin):
    create_mapping(api, admin, JwksUri=api.url + IDP + "/nowhere")
    assert "404" in rejected_grant(authorize_jwt(api, mint(api)), "jwks", "nowhere")


def test_mappings_of_one_issuer_must_share_their_jwks_uri(api, admin):
    create_mapping(api, admin, "a")
    create_mapping(api, admin, "b", JwksUri=api.url + IDP + "/jwks")
    rejected_grant(authorize_jwt(api, mint(api)), "different jwks uris")


def test_several_mappings_of_one_issuer(api, admin):
    create_mapping(api, admin, "a-staging", PurposeMatch="tpp-staging")
    create_mapping(api, admin, "b-production", PurposeMatch="tpp-production", IdMatch=None, GranteePrefixedUniversal=JDOE_ID)
    signed_in(authorize_jwt(api, mint(api, aud="tpp-staging")))
    signed_in(authorize_jwt(api, mint(api, aud="tpp-production")), JDOE_ID)
    assert "tpp-staging" in rejected_grant(authorize_jwt(api, mint(api, aud="tpp-test")), "aud")  # the first mapping's reason


def test_the_identity_still_needs_a_rule_and_the_scope(api, idp_mapping):
    response = authorize_jwt(api, mint(api), scope="admin", client_id=ADMIN_CLIENT)
    assert response.status_code == 400 and error_of(response)[0] == "unauthorized_client", response.text
    response = authorize_jwt(api, mint(api), scope="admin", client_id=SDK_CLIENT)
    assert response.status_code == 400 and error_of(response)[0] == "invalid_scope", response.text


def test_the_seeded_mapping_can_be_changed_and_deleted(api, admin):
    seeded = api.oauth("GetJwtMapping", {"Name": "idp.emulator.test"}, admin)["JwtMapping"]
    seeded_jwt = [mint_seeded(api, "svc-ansible"), mint_seeded(api, "jdoe")]
    api.oauth("UpdateJwtMapping", {"JwtMapping": dict(seeded, IdMatch="^(svc-.+)$")}, admin)
    signed_in(authorize_jwt(api, seeded_jwt[0]))
    rejected_grant(authorize_jwt(api, seeded_jwt[1]), "idmatch")
    api.oauth("DeleteJwtMapping", {"Name": "idp.emulator.test"}, admin)
    rejected_grant(authorize_jwt(api, seeded_jwt[0]), "not trusted")
    api.reset()
    signed_in(authorize_jwt(api, seeded_jwt[1]), JDOE_ID)


def mint_seeded(api, sub):
    """A JWT of the seeded issuer, signed with the seeded key file."""
    mapping = json.loads((api.workdir / "jwt" / "mapping.json").read_text(encoding="utf-8"))
    now = int(api.now())
    claims = {"iss": mapping["issuer"], "aud": mapping["audience"], "sub": sub, "iat": now, "exp": now + 300}
    key = serialization.load_pem_private_key((api.workdir / "jwt" / "signing-key.pem").read_bytes(), password=None)
    return sign_rs256(key, {"alg": "RS256", "typ": "JWT"}, claims)
