# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""launch.py, the one launcher: start in the background, restart on the same port with the same CA, stop, lifetime."""

import json
import subprocess
import sys
import time

import requests

from emulator_support import EMULATOR_DIR, PASSWORDS, SDK_CLIENT, launch

LAUNCH = str(EMULATOR_DIR / "launch.py")


def run_launch(*args):
    """``python launch.py ARGS``; returns the completed process (output as text)."""
    return subprocess.run([sys.executable, LAUNCH] + [str(arg) for arg in args], capture_output=True, text=True,
                          timeout=90, check=False)


def password_grant(ready):
    body = {"client_id": SDK_CLIENT, "username": "svc-ansible", "password": PASSWORDS["svc-ansible"], "scope": "certificate:manage"}
    return requests.post(ready["url"] + "/vedauth/authorize/oauth", json=body, verify=ready["ca_path"], timeout=10)


def wait_until_gone(workdir, seconds):
    emulator = launch.Emulator.attach(workdir)
    deadline = time.monotonic() + seconds
    while emulator.running() and time.monotonic() < deadline:
        time.sleep(0.1)
    return not emulator.running()


def test_cli_start_restart_stop(tmp_path):
    workdir = tmp_path / "work"
    started = run_launch("start", "--workdir", workdir)
    assert started.returncode == 0, started.stderr
    ready = json.loads(started.stdout)
    assert started.stdout.count("\n") == 1
    assert ready == json.loads((workdir / "emulator.json").read_text(encoding="utf-8"))
    try:
        # The launcher has exited; the emulator it started still serves.
        response = password_grant(ready)
        assert response.status_code == 200
        token = response.json()["access_token"]
        ca_before = (workdir / "ca.pem").read_bytes()

        restarted = run_launch("restart", "--workdir", workdir)
        assert restarted.returncode == 0, restarted.stderr
        again = json.loads(restarted.stdout)
        assert again["url"] == ready["url"] and again["pid"] != ready["pid"]
        assert (workdir / "ca.pem").read_bytes() == ca_before
        verify = requests.get(again["url"] + "/vedauth/authorize/verify", headers={"Authorization": "Bearer " + token},
                              verify=again["ca_path"], timeout=10)
        assert verify.status_code == 401  # a restart forgets every token
    finally:
        stopped = run_launch("stop", "--workdir", workdir)
    assert stopped.returncode == 0, stopped.stderr
    assert wait_until_gone(workdir, 0)
    assert run_launch("stop", "--workdir", workdir).returncode == 0  # stopping one that has gone does nothing


def test_max_lifetime_ends_an_abandoned_emulator(tmp_path):
    workdir = tmp_path / "work"
    started = run_launch("start", "--workdir", workdir, "--max-lifetime", 2)
    assert started.returncode == 0, started.stderr
    try:
        assert launch.Emulator.attach(workdir).running()
        assert wait_until_gone(workdir, 30)
    finally:
        run_launch("stop", "--workdir", workdir)


def test_stop_leaves_a_reused_pid_alone(tmp_path):
    workdir = tmp_path / "work"
    workdir.mkdir()
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])  # pylint: disable=consider-using-with
    try:
        stale = {"url": "https://127.0.0.1:9", "ca_path": str(workdir / "ca.pem"), "pid": other.pid}
        (workdir / "emulator.json").write_text(json.dumps(stale), encoding="utf-8")
        stopped = run_launch("stop", "--workdir", workdir)
        assert stopped.returncode == 0, stopped.stderr
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()


def test_restart_without_an_emulator_says_so(tmp_path):
    restarted = run_launch("restart", "--workdir", tmp_path)
    assert restarted.returncode == 1
    assert restarted.stderr.strip() == "no emulator.json in %s: nothing to restart" % tmp_path
