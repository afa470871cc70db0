# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The start contract: the ready object, the workdir files, signals, restarts and --seed."""

import copy
import importlib
import ipaddress
import json
import signal
import socket
import sys
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from emulator_support import (
    ADMIN_CLIENT, ADMIN_MAX_SCOPE, EMULATOR_DIR, PASSWORDS, SDK_CLIENT, SDK_MAX_SCOPE, SVC_ID, WIN_PASSWORD, WIN_USER,
    EmulatorProcess, universal,
)

WORKDIR_FILES = [
    "emulator.json", "seed.json", "ca.pem", "ca-key.pem", "server.pem", "server-key.pem",
    "clients/svc-ansible.pem", "clients/svc-ansible.key", "clients/jdoe.pem", "clients/jdoe.key",
    "jwt/signing-key.pem", "jwt/signing-key-es256.pem", "jwt/mapping.json", "ntlm-users.txt",
]


def test_ready_object(emulator):
    ready = emulator.ready
    assert set(ready) == {"url", "ca_path", "pid"}
    assert ready["url"].startswith("https://127.0.0.1:")
    port = int(ready["url"].rsplit(":", 1)[1])
    assert 0 < port < 65536
    assert Path(ready["ca_path"]) == Path(emulator.workdir) / "ca.pem"
    assert ready["pid"] == emulator.process.pid
    assert "\n" not in emulator.ready_line.rstrip("\n")
    on_disk = json.loads((Path(emulator.workdir) / "emulator.json").read_text(encoding="utf-8"))
    assert on_disk == ready


def test_workdir_files(emulator):
    workdir = Path(emulator.workdir)
    missing = [name for name in WORKDIR_FILES if not (workdir / name).is_file()]
    assert not missing
    for key in ("ca-key.pem", "server-key.pem", "clients/svc-ansible.key", "clients/jdoe.key"):
        serialization.load_pem_private_key((workdir / key).read_bytes(), password=None)


def test_server_certificate(emulator):
    workdir = Path(emulator.workdir)
    ca_cert = x509.load_pem_x509_certificate((workdir / "ca.pem").read_bytes())
    server = x509.load_pem_x509_certificate((workdir / "server.pem").read_bytes())
    server.verify_directly_issued_by(ca_cert)
    san = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert ipaddress.ip_address("127.0.0.1") in san.get_values_for_type(x509.IPAddress)
    assert "localhost" in san.get_values_for_type(x509.DNSName)


def test_localhost_name_verifies(emulator):
    port = emulator.url.rsplit(":", 1)[1]
    response = requests.get("https://localhost:%s/vedauth/authorize/isAuthServer" % port, verify=emulator.ca_path,
                            timeout=10)
    assert response.status_code == 202


def test_client_certificates(emulator):
    workdir = Path(emulator.workdir)
    ca_cert = x509.load_pem_x509_certificate((workdir / "ca.pem").read_bytes())
    for user in ("svc-ansible", "jdoe"):
        cert = x509.load_pem_x509_certificate((workdir / "clients" / (user + ".pem")).read_bytes())
        cert.verify_directly_issued_by(ca_cert)
        assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == user


def test_ntlm_users_file(emulator):
    lines = (Path(emulator.workdir) / "ntlm-users.txt").read_text(encoding="utf-8").split()
    assert any(line.lower() == ("%s:%s" % (WIN_USER.replace("\\", ":"), WIN_PASSWORD)).lower() for line in lines), lines


def test_seed_json_publishes_working_credentials(api, emulator):
    """DIR/seed.json: each user's password and client certificate log in as that user, the administrator's login may
    call oauth/* and identity/*, and the suite's own constants agree with it."""
    path = Path(emulator.workdir) / "seed.json"
    assert path.stat().st_mode & 0o777 == 0o600
    seed = emulator.seed
    assert set(seed["users"]) == {"admin", "svc-ansible", "jdoe", "svc-win"}
    assert {name: seed["users"][name]["password"] for name in PASSWORDS} == PASSWORDS
    assert (seed["users"]["svc-win"]["username"], seed["users"]["svc-win"]["password"]) == (WIN_USER, WIN_PASSWORD)
    for user in seed["users"].values():
        assert user["prefixed_universal"] == universal(user["prefixed_name"])
        assert api.token(user["username"], password=user["password"], scope="certificate")["identity"] == user["prefixed_universal"]
    with_certificates = {name: user for name, user in seed["users"].items() if "client_cert" in user}
    assert set(with_certificates) == {"svc-ansible", "jdoe"}
    for user in with_certificates.values():
        response = api.post("/vedauth/authorize/certificate", {"client_id": SDK_CLIENT, "scope": "certificate"},
                            cert=(user["client_cert"], user["client_key"]))
        assert response.status_code == 200 and response.json()["identity"] == user["prefixed_universal"], response.text
    assert {name: team["prefixed_universal"] for name, team in seed["teams"].items()} == {
        "PKI Operators": universal("local:PKI Operators"), "Everyone": universal("local:Everyone")}
    assert {app: facts["maximum_scope"] for app, facts in seed["integrations"].items()} == {
        ADMIN_CLIENT: ADMIN_MAX_SCOPE, SDK_CLIENT: SDK_MAX_SCOPE}
    admin = seed["admin"]
    assert (admin["client_id"], admin["username"], admin["password"]) == (ADMIN_CLIENT, "admin", PASSWORDS["admin"])
    token = api.token(admin["username"], admin["password"], admin["client_id"], admin["scope"])["access_token"]
    assert api.oauth("GetApplications", {}, token)["Success"] is True
    assert api.post("/vedsdk/identity/Validate", {"ID": {"PrefixedName": "local:jdoe"}}, token=token).status_code == 200


def test_plain_http_is_refused(emulator):
    port = emulator.url.rsplit(":", 1)[1]
    try:
        response = requests.get("http://127.0.0.1:%s/vedauth/authorize/isAuthServer" % port, timeout=5)
    except requests.exceptions.ConnectionError:
        return
    assert response.status_code != 202


def load_seed():
    """The emulator's DEFAULT_SEED (the shape a --seed file must have)."""
    sys.path.insert(0, str(EMULATOR_DIR))
    try:
        return copy.deepcopy(importlib.import_module("tpp_emulator.seed").DEFAULT_SEED)
    finally:
        sys.path.remove(str(EMULATOR_DIR))


def replace_value(node, old, new):
    """Replace every string ``old`` in a JSON-like structure; return how many were replaced."""
    count = 0
    if isinstance(node, dict):
        items = list(node.items())
    elif isinstance(node, list):
        items = list(enumerate(node))
    else:
        return 0
    for key, value in items:
        if value == old:
            node[key] = new
            count += 1
        else:
            count += replace_value(value, old, new)
    return count


def password_grant(process, username, password):
    """A password grant against ``process``."""
    body = {"client_id": SDK_CLIENT, "username": username, "password": password, "scope": "certificate:manage"}
    return requests.post(process.url + "/vedauth/authorize/oauth", json=body, verify=process.ca_path, timeout=10)


def test_restart_reuses_ca_forgets_tokens_and_honours_seed(tmp_path):
    workdir = tmp_path / "work"
    first = EmulatorProcess(workdir, log_dir=tmp_path).start()
    try:
        ca_before = (workdir / "ca.pem").read_bytes()
        response = password_grant(first, "svc-ansible", PASSWORDS["svc-ansible"])
        assert response.status_code == 200
        token = response.json()["access_token"]
        assert response.json()["identity"] == SVC_ID
    finally:
        assert first.stop(signal.SIGINT) == 0, first.stderr_text()

    seed = load_seed()
    assert replace_value(seed, PASSWORDS["svc-ansible"], "changed-pass-9") >= 1
    seed_file = tmp_path / "seed.json"
    seed_file.write_text(json.dumps(seed), encoding="utf-8")

    second = EmulatorProcess(workdir, ["--seed", str(seed_file)], log_dir=tmp_path).start()
    try:
        assert (workdir / "ca.pem").read_bytes() == ca_before
        assert json.loads((workdir / "emulator.json").read_text(encoding="utf-8")) == second.ready
        verify = requests.get(second.url + "/vedauth/authorize/verify", headers={"Authorization": "Bearer " + token},
                              verify=second.ca_path, timeout=10)
        assert verify.status_code == 401
        assert password_grant(second, "svc-ansible", PASSWORDS["svc-ansible"]).status_code == 400
        assert second.seed["users"]["svc-ansible"]["password"] == "changed-pass-9"
        response = password_grant(second, "svc-ansible", "changed-pass-9")
        assert response.status_code == 200
        assert response.json()["identity"] == SVC_ID  # universals survive restarts
    finally:
        assert second.stop(signal.SIGTERM) == 0, second.stderr_text()


def non_loopback_address():
    """This machine's address on its default route, or None."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.123", 9))  # TEST-NET-1; UDP connect sends nothing
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if ipaddress.ip_address(address).is_loopback else address


def test_host_option_and_loopback_only_test_paths(tmp_path):
    address = non_loopback_address()
    if address is None:
        pytest.skip("no non-loopback IPv4 address")
    process = EmulatorProcess(tmp_path / "work", ["--host", address], log_dir=tmp_path).start()
    try:
        assert process.url.startswith("https://%s:" % address)
        server = x509.load_pem_x509_certificate((tmp_path / "work" / "server.pem").read_bytes())
        san = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        assert ipaddress.ip_address(address) in san.get_values_for_type(x509.IPAddress)
        response = requests.get(process.url + "/vedauth/authorize/isAuthServer", verify=process.ca_path, timeout=10)
        assert response.status_code == 202  # the certificate verifies for --host
        for method, name in (("GET", "stats"), ("POST", "reset"), ("POST", "clock")):
            response = requests.request(method, process.url + "/_emulator/" + name, json={"advance": 10},
                                        verify=process.ca_path, timeout=10)
            assert response.status_code in (403, 404), (name, response.status_code, response.text)
            assert "requests" not in response.json() and "offset" not in response.json()
        for method, path in (("GET", "/_idp/.well-known/openid-configuration"), ("GET", "/_idp/jwks"), ("POST", "/_idp/mint"),
                             ("POST", "/_idp/rotate")):
            response = requests.request(method, process.url + path, json={"sub": "svc-ansible"}, verify=process.ca_path, timeout=10)
            assert response.status_code == 403, (path, response.status_code, response.text)
            assert "jwt" not in response.json() and "keys" not in response.json() and "kid" not in response.json()
    finally:
        assert process.stop() == 0, process.stderr_text()


def test_start_failure_is_reported_with_stderr(tmp_path):
    process = EmulatorProcess(tmp_path / "work", ["--no-such-option"], log_dir=tmp_path)
    with pytest.raises(RuntimeError) as info:
        process.start(timeout=30)
    message = str(info.value)
    assert "before it was ready" in message
    assert "--no-such-option" in message.split("stderr:", 1)[1]
