"""Start, stop and restart the TPP emulator: the one launcher every test, target and tool uses. Standard library only.

    python tests/emulator/launch.py start --workdir DIR [--port P] [--host H] [--max-lifetime SECONDS]
    python tests/emulator/launch.py stop --workdir DIR
    python tests/emulator/launch.py restart --workdir DIR

``start`` runs serve.py in a session of its own, waits for its ready line, prints it (the ready object, one line of
JSON) and leaves the emulator running; ``stop`` ends the emulator that DIR/emulator.json names (SIGTERM, then SIGKILL
after a grace period); ``restart`` stops it and starts it again in DIR on the same port (so with the same CA): it forgets
every token. serve.py writes its standard error to DIR/serve.log and its ready line to DIR/serve.out.

From Python: ``start(workdir, port=0, args=(), log_dir=None, lifetime=None, timeout=60)`` returns a running
``Emulator`` (``url``, ``ca_path``, ``pid``, ``ready``, ``seed``, ``stop()``, ``restart()``); ``Emulator.attach(workdir)`` is
the one DIR/emulator.json names, for a process that did not start it.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
SERVE = os.path.join(HERE, 'serve.py')
START_TIMEOUT = 60
STOP_TIMEOUT = 10
POLL = 0.02


class LaunchError(RuntimeError):
    """The emulator did not start or stop; the message says why and carries what it wrote on standard error."""


class Emulator:
    """One emulator in ``workdir``: how to start it (``args`` are more serve.py options) and, once started, its ready object."""

    def __init__(self, workdir, args=(), log_dir=None, port=0, lifetime=None):
        self.workdir = Path(workdir).absolute()
        self.args = [str(argument) for argument in args]
        self.log_dir = Path(log_dir or workdir).absolute()
        self.port = port
        self.lifetime = lifetime
        self.process = None
        self.ready = None
        self.ready_line = None
        self._log_offset = 0

    @classmethod
    def attach(cls, workdir):
        """The emulator DIR/emulator.json names (started by another process); same host and port on restart."""
        ready = json.loads((Path(workdir) / 'emulator.json').read_text(encoding='utf-8'))
        address = urlsplit(ready['url'])
        emulator = cls(workdir, ['--host', address.hostname], port=address.port)
        emulator.ready = ready
        return emulator

    url = property(lambda self: self.ready['url'])
    ca_path = property(lambda self: self.ready['ca_path'])
    pid = property(lambda self: self.ready['pid'])

    @property
    def seed(self):
        """DIR/seed.json, what serve.py publishes about its seed: users (passwords, client certificates), teams,
        integrations and the administrator's login."""
        return json.loads((self.workdir / 'seed.json').read_text(encoding='utf-8'))

    @property
    def stdout_path(self):
        return self.log_dir / 'serve.out'

    @property
    def stderr_path(self):
        return self.log_dir / 'serve.log'

    def command(self):
        return [sys.executable, SERVE, '--workdir', str(self.workdir), '--port', str(self.port)] + self.args

    def start(self, timeout=START_TIMEOUT):
        """Start serve.py and wait until it has printed its ready line; returns self."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        (self.workdir / 'emulator.json').unlink(missing_ok=True)
        lifetime = self.lifetime
        with open(self.stdout_path, 'wb') as stdout, open(self.stderr_path, 'ab') as stderr:
            self._log_offset = stderr.tell()
            # A session of its own and no inherited pipe: whoever starts it (a playbook task too) need not wait for it.
            # A pending alarm survives exec, and SIGALRM ends serve.py: the guard against a starter that dies first.
            self.process = subprocess.Popen(  # pylint: disable=consider-using-with
                self.command(), stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr, start_new_session=True,
                preexec_fn=(lambda: signal.alarm(lifetime)) if lifetime else None)  # pylint: disable=subprocess-popen-preexec-fn
        deadline = time.monotonic() + timeout
        while not self._read_ready_line():
            if self.process.poll() is not None:
                raise self._failure('exited with %s before it was ready' % self.process.returncode)
            if time.monotonic() > deadline:
                self._signal(signal.SIGKILL)
                self.process.wait()
                raise self._failure('did not print its ready line within %d s' % timeout)
            time.sleep(POLL)
        try:
            self.ready = json.loads(self.ready_line)
        except ValueError:
            self.stop(signal.SIGKILL)
            raise self._failure('printed a ready line that is not JSON: %r' % self.ready_line) from None
        return self

    def _read_ready_line(self):
        with open(self.stdout_path, encoding='utf-8') as handle:
            line = handle.readline()
        if line.endswith('\n'):
            self.ready_line = line
        return self.ready_line is not None

    def _failure(self, what):
        return LaunchError('the TPP emulator %s: %s\nstderr:\n%s' % (what, ' '.join(self.command()), self.stderr_text()))

    def stderr_text(self):
        """What serve.py wrote on standard error since this start."""
        try:
            with open(self.stderr_path, 'rb') as handle:
                handle.seek(self._log_offset)
                return handle.read().decode('utf-8', 'replace')
        except OSError:
            return ''

    def running(self):
        if self.process is not None:
            return self.process.poll() is None
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return _serves(self.pid)

    def _signal(self, sig):
        if self.process is not None:
            self.process.send_signal(sig)
        else:
            os.kill(self.pid, sig)

    def _wait(self, timeout):
        """True once the emulator has gone, False when it is still there after ``timeout`` seconds."""
        if self.process is not None:
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                return False
            return True
        deadline = time.monotonic() + timeout
        while self.running():
            if time.monotonic() > deadline:
                return False
            time.sleep(POLL)
        return True

    def stop(self, sig=signal.SIGTERM, timeout=STOP_TIMEOUT):
        """Send ``sig`` and wait until it has gone; returns the exit code (None when another process started it).

        One that outlives ``timeout`` is killed, and LaunchError says so. Stopping one that has gone does nothing.
        """
        if self.ready is None and self.process is None:
            return None
        if self.running():
            self._signal(sig)
            if not self._wait(timeout):
                self._signal(signal.SIGKILL)
                self._wait(timeout)
                raise self._failure('did not stop within %d s of signal %d' % (timeout, sig))
        return self.process.returncode if self.process is not None else None

    def kill(self):
        """Last resort: SIGKILL, without waiting for a clean exit."""
        if self.running():
            self._signal(signal.SIGKILL)
            self._wait(STOP_TIMEOUT)

    def restart(self, timeout=START_TIMEOUT):
        """Stop it and start it again in the same workdir (same CA) on the same port; returns self."""
        self.port = urlsplit(self.url).port
        self.stop()
        return self.start(timeout)


def _serves(pid):
    """Whether ``pid`` still runs serve.py: not when it has exited and awaits its parent (an empty command line), nor
    when it is another program (a stale emulator.json whose pid was reused). True where /proc cannot say."""
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as handle:
            return any(os.path.basename(argument) == b'serve.py' for argument in handle.read().split(b'\0'))
    except OSError:
        return True


def start(workdir, port=0, args=(), log_dir=None, lifetime=None, timeout=START_TIMEOUT):
    """A running emulator in ``workdir``: see Emulator."""
    return Emulator(workdir, args, log_dir, port, lifetime).start(timeout)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('action', choices=('start', 'stop', 'restart'))
    parser.add_argument('--workdir', required=True, help='the emulator directory (certificates, emulator.json, logs)')
    parser.add_argument('--port', type=int, default=0, help='start: the port (default 0: any free port)')
    parser.add_argument('--host', help='start: the address to listen on (default 127.0.0.1)')
    parser.add_argument('--max-lifetime', type=int, help='start: end the emulator after this many seconds, whatever happens')
    arguments = parser.parse_args(argv)
    try:
        if arguments.action == 'start':
            emulator = start(arguments.workdir, arguments.port, ['--host', arguments.host] if arguments.host else [],
                             lifetime=arguments.max_lifetime)
            print(emulator.ready_line, end='', flush=True)
            return 0
        try:
            emulator = Emulator.attach(arguments.workdir)
        except FileNotFoundError:
            if arguments.action == 'stop':
                return 0
            raise LaunchError('no emulator.json in %s: nothing to restart' % arguments.workdir) from None
        if arguments.action == 'stop':
            emulator.stop()
        else:
            print(emulator.restart().ready_line, end='', flush=True)
    except LaunchError as error:
        sys.exit(str(error))
    return 0


if __name__ == '__main__':
    sys.exit(main())
