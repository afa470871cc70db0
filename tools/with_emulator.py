"""Run a command with the bundled TPP emulator up, and stop the emulator afterwards, whatever happens.

    python tools/with_emulator.py [--workdir DIR] -- COMMAND [ARG...]

The command sees VENAFI_TPP_URL and VENAFI_TPP_CA_PATH (the collection's own connection variables)
and TPP_EMULATOR_WORKDIR (client certificates, JWT keys). Exits with the command's status.
"""

import argparse
import json
import os
import select
import signal
import subprocess
import sys
import tempfile

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVE = os.path.join(REPO_ROOT, 'tests', 'emulator', 'serve.py')
READY_TIMEOUT = 60


def start_emulator(workdir):
    """Start serve.py and return (process, ready object) once it has said it is ready."""
    process = subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, SERVE, '--workdir', workdir, '--port', '0'],
        stdout=subprocess.PIPE, text=True,
    )
    readable = select.select([process.stdout], [], [], READY_TIMEOUT)[0]
    line = process.stdout.readline() if readable else ''
    if not line:
        process.kill()
        raise SystemExit(f'the TPP emulator did not start (exit code {process.poll()}); see its error output above')
    return process, json.loads(line)


def stop_emulator(process):
    """SIGTERM, then a kill if it does not go within ten seconds."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--workdir', help='emulator working directory (default: a new temporary one)')
    parser.add_argument('command', nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ['--'] else args.command
    if not command:
        parser.error('give the command to run after --')
    workdir = args.workdir or tempfile.mkdtemp(prefix='tpp-emulator-')
    process, ready = start_emulator(workdir)
    try:
        env = dict(os.environ, VENAFI_TPP_URL=ready['url'], VENAFI_TPP_CA_PATH=ready['ca_path'], TPP_EMULATOR_WORKDIR=workdir)
        print(f'TPP emulator ready at {ready["url"]} (workdir {workdir})', flush=True)
        return subprocess.call(command, env=env)
    finally:
        stop_emulator(process)


if __name__ == '__main__':
    sys.exit(main())
