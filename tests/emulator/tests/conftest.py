# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures: one emulator per test session (per xdist worker), reset before every test."""

import sys
from pathlib import Path

import pytest

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

# pylint: disable=wrong-import-position
import openapi  # noqa: E402
from emulator_support import Api, EmulatorProcess  # noqa: E402


@pytest.fixture(scope="session")
def contract():
    """Venafi's OpenAPI contract (the four files of tests/emulator/contract)."""
    return openapi.Contract()


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    """``python tests/emulator/serve.py --workdir <tmp> --port 0``; stopped with SIGTERM (exit 0)."""
    base = tmp_path_factory.mktemp("emulator")
    process = EmulatorProcess(base / "work", log_dir=base).start()
    try:
        yield process
    finally:
        code = process.stop()
    assert code == 0, "emulator exited with %s on SIGTERM\nstderr:\n%s" % (code, process.stderr_text())


@pytest.fixture
def api(emulator, contract):
    """A validating client of the session emulator, reset to the seed before the test."""
    client = Api(emulator, contract)
    client.reset()
    yield client
    client.close()
