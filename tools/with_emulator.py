"""Run a command with the bundled TPP emulator up, and stop the emulator afterwards, whatever happens.

    python tools/with_emulator.py [--workdir DIR] -- COMMAND [ARG...]

The command sees VENAFI_TPP_URL and VENAFI_TPP_CA_PATH (the collection's own connection variables)
and TPP_EMULATOR_WORKDIR (client certificates, JWT keys, and seed.json: the seed's users and passwords, which
tools read from there or from ``emulator.seed``). Exits with the command's status.
"""

import argparse
import os
import subprocess
import sys
import tempfile

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO_ROOT, 'tests', 'emulator'))

import launch  # noqa: E402  pylint: disable=import-error,wrong-import-position


def start_emulator(workdir):
    """Start the emulator in workdir; returns (emulator, its ready object). Its error output goes to workdir/serve.log."""
    try:
        emulator = launch.start(workdir)
    except launch.LaunchError as error:
        raise SystemExit(str(error)) from None
    return emulator, emulator.ready


def stop_emulator(emulator):
    """SIGTERM, then a kill if it does not go within ten seconds."""
    emulator.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--workdir', help='emulator working directory (default: a new temporary one)')
    parser.add_argument('command', nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ['--'] else args.command
    if not command:
        parser.error('give the command to run after --')
    workdir = args.workdir or tempfile.mkdtemp(prefix='tpp-emulator-')
    emulator, ready = start_emulator(workdir)
    try:
        env = dict(os.environ, VENAFI_TPP_URL=ready['url'], VENAFI_TPP_CA_PATH=ready['ca_path'], TPP_EMULATOR_WORKDIR=workdir)
        print(f'TPP emulator ready at {ready["url"]} (workdir {workdir})', flush=True)
        return subprocess.call(command, env=env)
    finally:
        stop_emulator(emulator)


if __name__ == '__main__':
    sys.exit(main())
