# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The OpenAPI helper itself: it must reject what the contract rejects, or the suite proves nothing."""

import hashlib
import json
import re
from types import SimpleNamespace

import jsonschema
import pytest
import requests

import openapi
from emulator_support import Api, ResponseCheckError

TOKEN = {
    "access_token": "KT2EEVTIjWM/37L78dqJAg==", "refresh_token": "f60/oxwEeBAqUSCalEzUJw==",
    "expires": 1565028229, "expires_in": 7775999, "refresh_until": 1596564229, "token_type": "Bearer",
    "scope": "certificate:manage", "identity": "local:{198c2d48-9e79-4f10-b871-e2f109476032}",
}


def test_loads_all_four_files(contract, monkeypatch):
    monkeypatch.delenv("TPP_OPENAPI_DIR", raising=False)
    assert openapi.default_spec_dir() == openapi.VENDORED_DIR
    for method, path in (("POST", "/vedauth/authorize/oauth"), ("POST", "/vedsdk/oauth/createapplication"),
                         ("POST", "/vedsdk/identity/validate"), ("GET", "/vedsdk/SystemStatus/Version")):
        assert 200 in contract.responses(method, path)


def test_lookup_is_case_insensitive(contract):
    lower = contract.response_schema("POST", "/vedsdk/oauth/createapplication", 200)
    mixed = contract.response_schema("post", "/VEDSDK/OAuth/CreateApplication", 200)
    assert lower == mixed
    assert contract.response_schema("GET", "/vedauth/authorize/isauthserver", 200) is None
    assert contract.response_schema("GET", "/vedsdk/systemstatus/version?x=1", 200)["properties"]["Version"]["type"] == "string"


def test_unknown_operation_and_status_are_reported(contract):
    with pytest.raises(openapi.UndocumentedOperation):
        contract.response_schema("GET", "/vedsdk/nothing/here", 200)
    with pytest.raises(openapi.UndocumentedOperation):
        contract.response_schema("DELETE", "/vedauth/authorize/oauth", 200)
    with pytest.raises(openapi.UndocumentedOperation):
        contract.response_schema("POST", "/vedauth/authorize/oauth", 418)


def test_valid_token_body_passes(contract):
    contract.validate("POST", "/vedauth/authorize/oauth", 200, TOKEN)
    contract.validate_component("Web_SDK_Authentication_AuthorizeOAuthResponse", TOKEN)


@pytest.mark.parametrize("field, value", [("access_token", 5), ("scope", ["certificate"]), ("identity", None)])
def test_wrong_type_fails(contract, field, value):
    body = dict(TOKEN, **{field: value})
    with pytest.raises(jsonschema.ValidationError) as info:
        contract.validate("POST", "/vedauth/authorize/oauth", 200, body)
    assert list(info.value.absolute_path) == [field]


def test_integer_fields_reject_strings(contract):
    with pytest.raises(jsonschema.ValidationError):
        contract.validate_component("Web_SDK_Authentication_AuthorizeOAuthResponse", dict(TOKEN, expires="1565028229"))
    with pytest.raises(jsonschema.ValidationError):
        contract.validate("POST", "/vedsdk/oauth/grantcount", 200, {"Success": True, "Result": 0, "Count": 2 ** 40})


def test_refs_are_resolved(contract):
    # Result is a $ref to the OAuthResult enum; Type a $ref to Core_IdentityType.
    contract.validate("POST", "/vedsdk/oauth/deleteapplication", 200, {"Success": False, "Result": 2, "Error": "x"})
    with pytest.raises(jsonschema.ValidationError):
        contract.validate("POST", "/vedsdk/oauth/deleteapplication", 200, {"Success": False, "Result": 99})
    with pytest.raises(jsonschema.ValidationError):
        contract.validate("POST", "/vedsdk/identity/validate", 200, {"ID": {"Type": 3}})


def test_type_lists_allow_null(contract):
    app = {"ID": "x", "AccessValidity": None, "GrantValidity": None, "Renewable": None}
    contract.validate("POST", "/vedsdk/oauth/getapplication", 200, {"Success": True, "Result": 0, "Applications": [app]})
    with pytest.raises(jsonschema.ValidationError):
        contract.validate("POST", "/vedsdk/oauth/getapplication", 200,
                          {"Success": True, "Result": 0, "Applications": [dict(app, Renewable="yes")]})


def test_nullable_is_translated():
    document = {"components": {"schemas": {
        "N": {"type": "integer", "nullable": True},
        "O": {"type": "object", "properties": {"n": {"$ref": "#/components/schemas/N"}}},
    }}}
    schema = openapi.resolve({"$ref": "#/components/schemas/O"}, document)
    assert schema["properties"]["n"]["type"] == ["integer", "null"]
    jsonschema.Draft202012Validator(schema).validate({"n": None})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate({"n": "1"})


def test_recursive_ref_is_rejected():
    document = {"components": {"schemas": {"A": {"$ref": "#/components/schemas/A"}}}}
    with pytest.raises(ValueError):
        openapi.resolve({"$ref": "#/components/schemas/A"}, document)


def test_templated_paths_match(contract):
    assert contract.responses("DELETE", "/vedsdk/identity/group/local/Some%20Group")


def test_the_vendored_files_are_the_unchanged_copies_the_readme_lists():
    """Byte for byte what contract/README.md records, so an edit of the contract cannot pass unnoticed."""
    readme = (openapi.VENDORED_DIR / "README.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| `([^`]+\.yml)` \| \d+ \| `([0-9a-f]{64})` \|$", readme, re.MULTILINE))
    assert sorted(listed) == sorted(openapi.SPEC_FILES)
    vendored = sorted(path.name for path in openapi.VENDORED_DIR.iterdir() if path.name != "README.md")
    assert vendored == sorted(openapi.SPEC_FILES)
    for name, digest in listed.items():
        assert hashlib.sha256((openapi.VENDORED_DIR / name).read_bytes()).hexdigest() == digest, name


def test_env_override(monkeypatch, tmp_path):
    monkeypatch.setenv("TPP_OPENAPI_DIR", str(tmp_path))
    assert openapi.default_spec_dir() == tmp_path
    with pytest.raises(FileNotFoundError):
        openapi.Contract()


def fake_response(status, content, headers=None):
    """A requests.Response as the client would receive it."""
    response = requests.models.Response()
    response.status_code = status
    response._content = content  # pylint: disable=protected-access
    response.headers.update({"Content-Length": str(len(content))} if headers is None else headers)
    return response


@pytest.fixture
def offline_api(contract, tmp_path):
    """An Api that is never connected: only its checks are used."""
    client = Api(SimpleNamespace(url="https://127.0.0.1:9", ca_path=str(tmp_path / "ca.pem"), workdir=tmp_path), contract)
    yield client
    client.close()


def test_api_check_validates_200_bodies(offline_api):
    good = json.dumps({"Version": "24.1"}).encode()
    assert offline_api.check("GET", "/vedsdk/SystemStatus/Version", fake_response(200, good)) == {"Version": "24.1"}
    assert offline_api.validated == [("GET", "/vedsdk/SystemStatus/Version", 200)]
    with pytest.raises(jsonschema.ValidationError):
        offline_api.check("GET", "/vedsdk/SystemStatus/Version", fake_response(200, b'{"Version": 24}'))
    with pytest.raises(jsonschema.ValidationError):
        offline_api.check("GET", "/vedsdk/Certificates/", fake_response(200, b'{"Certificates": []}'))


def test_api_check_refuses_a_200_of_an_undocumented_operation(offline_api):
    with pytest.raises(openapi.UndocumentedOperation):
        offline_api.check("GET", "/vedsdk/Unknown/Thing", fake_response(200, b"{}"))


def test_api_check_validates_documented_error_bodies(offline_api):
    offline_api.check("POST", "/vedauth/authorize/oauth", fake_response(400, b'{"error": "invalid_grant"}'))
    with pytest.raises(jsonschema.ValidationError):
        offline_api.check("POST", "/vedauth/authorize/oauth", fake_response(400, b'{"error": 400}'))


@pytest.mark.parametrize("content, headers", [
    (b"{}", {}),
    (b"{}", {"Content-Length": "3"}),
    (b"<html></html>", None),
    (b"", None),
])
def test_api_check_needs_content_length_and_json(offline_api, content, headers):
    with pytest.raises(ResponseCheckError):
        offline_api.check("GET", "/vedauth/revoke/token", fake_response(202, content, headers))
