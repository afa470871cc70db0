"""ansible-playbook runs forked from a process that imported ansible-playbook's code once.

Most of the CPU an ansible-playbook start spends goes on importing Ansible. A run forked from a process that did that once
does what the command does: ansible.cli.playbook.main() with its arguments, in its directory and environment, with its
standard input and output, its own local temporary directory and its own exit handlers. Ansible reads its configuration (the
ANSIBLE_* variables, the file ANSIBLE_CONFIG names) when it is imported, so a run whose ANSIBLE_* variables differ from the
importing process's, or without ANSIBLE_CONFIG (then the directory's ansible.cfg counts), is a real ansible-playbook process.

    python playbook_forks.py serve SOCKET   imports ansible-playbook, then forks a run for each client on the UNIX socket
    python playbook_forks.py run SOCKET ARG...   ansible-playbook ARG..., forked by the server of SOCKET when it can; a real
                                                 ansible-playbook when the server cannot (see above) or is not running

The client passes its arguments, directory, environment and standard input, output and error (the descriptors themselves)
and exits with the run's exit status; each client gets a run of its own, so runs started in parallel run in parallel.
docs_playbooks.py uses ansible_playbook() directly.
"""

import atexit
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import traceback

HEADER = struct.Struct('!I')


def forkable(env):
    """Whether a run with env can be forked from this process (see above)."""
    settings = [dict((name, value) for name, value in variables.items() if name.startswith('ANSIBLE_')) for variables in (env, os.environ)]
    return settings[0] == settings[1] and 'ANSIBLE_CONFIG' in env


def run_forked(arguments, directory, env, fds):
    """The exit status of ansible-playbook ARGUMENTS in directory with env, its standard input, output and error fds, in a child
    forked from this process; negative when a signal ended it."""
    from ansible import constants  # pylint: disable=import-outside-toplevel
    from ansible.cli.playbook import main  # pylint: disable=import-outside-toplevel
    from ansible.utils.path import cleanup_tmp_file  # pylint: disable=import-outside-toplevel

    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    status = 1
    try:
        os.chdir(directory)
        os.environ.clear()
        os.environ.update(env)
        for target, fd in enumerate(fds):
            if fd != target:
                os.dup2(fd, target)
        # This process's local temporary directory is not the run's: the run makes its own beside it, removed when it exits.
        atexit.unregister(cleanup_tmp_file)
        local_tmp = tempfile.mkdtemp(prefix='ansible-local-%d' % os.getpid(), dir=os.path.dirname(constants.DEFAULT_LOCAL_TMP))
        constants.DEFAULT_LOCAL_TMP = local_tmp
        atexit.register(cleanup_tmp_file, local_tmp, warn=True)
        sys.argv = ['ansible-playbook'] + arguments
        main()
        status = 0
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None)
    except BaseException:  # pylint: disable=broad-exception-caught
        traceback.print_exc()
    finally:
        try:
            # What the interpreter does at exit (the run's exit handlers, then flushing), before leaving at once: the child must
            # not go on into this process's code.
            atexit._run_exitfuncs()  # pylint: disable=protected-access
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(status)


def ansible_playbook(arguments, directory, env, log):
    """The exit status of `ansible-playbook ARGUMENTS` run in directory with env, its output (stdout and stderr) in log: forked
    from this process when it can be, else a process of its own."""
    if not forkable(env):
        with open(log, 'w', encoding='utf-8') as handle:
            return subprocess.run(['ansible-playbook'] + arguments, cwd=directory, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                  check=False).returncode
    output = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        return run_forked(arguments, directory, env, (0, output, output))
    finally:
        os.close(output)


def receive(connection):
    """The request a client sent (arguments, directory, environment) and its three descriptors."""
    data, fds, _flags, _address = socket.recv_fds(connection, 1 << 16, 3)
    if len(fds) != 3 or len(data) < HEADER.size:
        raise ValueError('a client sent no request or not its three descriptors')
    size = HEADER.unpack_from(data)[0]
    data = data[HEADER.size:]
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ValueError('a client closed its connection before the end of its request')
        data += chunk
    return json.loads(data), fds


def answer(connection):
    """Serve one client in this process (forked for it): its run, then the exit status, or null for "run it yourself"."""
    status = None
    request, fds = receive(connection)
    try:
        if forkable(request['env']):
            status = run_forked(request['arguments'], request['directory'], request['env'], fds)
    finally:
        for fd in fds:
            os.close(fd)
    connection.sendall(json.dumps({'status': status}).encode())


def reap():
    try:
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
    except ChildProcessError:
        pass


def serve(path):
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # Each client's process waited for, so that its CPU time (and its run's) counts in this process's children's.
    signal.signal(signal.SIGCHLD, lambda *_: reap())
    imported = False
    while True:
        connection, _address = listener.accept()
        if not imported:
            # At the first client, not before: a target that runs no ansible-playbook costs no import.
            from ansible import constants  # pylint: disable=import-outside-toplevel
            import ansible.cli.playbook  # pylint: disable=import-outside-toplevel,unused-import

            constants.DEFAULT_LOCAL_TMP  # pylint: disable=pointless-statement  # made once here, for run_forked to put its own beside
            imported = True
        if os.fork():
            connection.close()
            continue
        status = 1
        try:
            listener.close()
            for number in (signal.SIGTERM, signal.SIGCHLD):
                signal.signal(number, signal.SIG_DFL)
            answer(connection)
            status = 0
        except BaseException:  # pylint: disable=broad-exception-caught
            traceback.print_exc()
        finally:
            os._exit(status)


def client(path, arguments):
    """Exit with the status of ansible-playbook ARGUMENTS, run by the server of path when it can."""
    request = json.dumps({'arguments': arguments, 'directory': os.getcwd(), 'env': dict(os.environ)}).encode()
    request = HEADER.pack(len(request)) + request
    try:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.connect(path)
    except (FileNotFoundError, ConnectionRefusedError):
        os.execvp('ansible-playbook', ['ansible-playbook'] + arguments)
    with connection:
        sent = socket.send_fds(connection, [request], [0, 1, 2])
        connection.sendall(request[sent:])
        reply = b''
        while True:
            chunk = connection.recv(4096)
            if not chunk:
                break
            reply += chunk
    if not reply:
        sys.exit('playbook_forks: the server of %s ended without the exit status of the run' % path)
    status = json.loads(reply)['status']
    if status is None:
        os.execvp('ansible-playbook', ['ansible-playbook'] + arguments)
    sys.exit(128 - status if status < 0 else status)


if __name__ == '__main__':
    if sys.argv[1:2] == ['serve'] and len(sys.argv) == 3:
        serve(sys.argv[2])
    elif sys.argv[1:2] == ['run'] and len(sys.argv) >= 3:
        client(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)
