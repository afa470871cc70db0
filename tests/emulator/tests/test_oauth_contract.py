# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The /vedsdk/oauth/* operations the emulator serves against the contract's: all of them, each with a row in the
permission table; and the list of writes the integration tests count."""

import subprocess
import sys

from emulator_support import EMULATOR_DIR

# pylint: disable=wrong-import-order
from tpp_emulator import oauth  # noqa: E402  (emulator_support puts tests/emulator on sys.path)
from tpp_emulator.oauth import core  # noqa: E402

PREFIX = "/vedsdk/oauth/"


def contract_operations(contract):
    """The lower-cased names of the contract's /vedsdk/oauth/* operations."""
    return {path[len(PREFIX):] for method, path in contract.operations if path.startswith(PREFIX)}


def served_operations():
    """The lower-cased names of the /vedsdk/oauth/* operations the emulator routes."""
    return {path[len(PREFIX):] for method, path in oauth.ROUTES if method == "POST" and path.startswith(PREFIX)}


def test_every_operation_of_the_contract_is_served(contract):
    assert len(contract_operations(contract)) == 30
    assert served_operations() == contract_operations(contract)


def test_every_served_operation_answers_over_https(api, contract):
    admin = api.admin_token()
    for name in sorted(contract_operations(contract)):
        result = api.oauth(name, {}, admin)  # HTTP 200 with the envelope; an empty body changes nothing
        assert result["Result"] in (0, 6), (name, result)
    response = api.post(PREFIX + "nosuchoperation", {}, token=admin)
    assert response.status_code == 404, response.text


def test_every_operation_has_a_row_in_the_permission_table(contract):
    assert {name.lower() for name in core.PERMISSIONS} == contract_operations(contract)
    assert all(isinstance(row, core.Permission) for row in core.PERMISSIONS.values())


def test_the_writes_are_operations(contract):
    assert len(set(core.WRITES)) == len(core.WRITES) == 14
    assert {name.lower() for name in core.WRITES} <= contract_operations(contract)


def test_the_oauth_package_needs_only_the_standard_library():
    """tpp_ctl.py (standard library only) imports core.WRITES, so nothing on that import path may need more: without
    site-packages on the path (-S), the import still works."""
    script = "import sys; sys.path.insert(0, sys.argv[1]); from tpp_emulator.oauth.core import WRITES; print(len(WRITES))"
    output = subprocess.run([sys.executable, "-I", "-S", "-c", script, str(EMULATOR_DIR)], capture_output=True, text=True, check=False)
    assert output.returncode == 0 and output.stdout.strip() == str(len(core.WRITES)), output.stdout + output.stderr
    # and the check can fail: the emulator's server needs cryptography
    script = script.replace("from tpp_emulator.oauth.core import WRITES; print(len(WRITES))", "import tpp_emulator.server")
    assert subprocess.run([sys.executable, "-I", "-S", "-c", script, str(EMULATOR_DIR)], capture_output=True, check=False).returncode


def test_tpp_ctl_counts_every_write():
    sys.path.insert(0, str(EMULATOR_DIR.parent / "integration" / "targets" / "setup_emulator_shell"))
    try:
        import tpp_ctl  # pylint: disable=import-outside-toplevel,import-error
    finally:
        sys.path.pop(0)
    assert sorted(tpp_ctl.OAUTH_WRITES) == sorted(name.lower() for name in core.WRITES)
