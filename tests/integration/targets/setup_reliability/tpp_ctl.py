"""The emulator for the reliability targets: start, stop and restart it, and drive its control API. Standard library only.

    python tpp_ctl.py WORKDIR start [PORT]         starts serve.py in the background (its own session) and waits until it is ready
    python tpp_ctl.py WORKDIR stop                 stops the emulator whose pid emulator.json names
    python tpp_ctl.py WORKDIR restart              stops it and starts it again on the same port, with the same CA: it forgets every token
    python tpp_ctl.py WORKDIR counts KEY...        prints the request counters KEY ('POST /vedauth/authorize/oauth'), space-separated
    python tpp_ctl.py WORKDIR now                  prints the server clock (epoch seconds)
    python tpp_ctl.py WORKDIR advance SECONDS      moves the server clock forward
    python tpp_ctl.py WORKDIR fault JSON           injects a fault ({"path", "status", "count", "delay", "drop"})
    python tpp_ctl.py WORKDIR clear-faults         drops the pending faults
    python tpp_ctl.py CACHE_DIR hold-lock READY    takes the one <key>.lock in CACHE_DIR with the collection's own lock code,
                                                   writes READY, and sleeps until killed
    python tpp_ctl.py CACHE_DIR lock-free          exits 0 when no process holds a lock in CACHE_DIR, 1 when one does
"""

import fcntl
import glob
import json
import os
import signal
import ssl
import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlsplit

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTIONS = os.environ.get('ANSIBLE_COLLECTIONS_PATH', '').split(':')[0]
SERVE = os.path.join(COLLECTIONS, 'ansible_collections', 'venafi_tpp', 'auth', 'tests', 'emulator', 'serve.py')
READY_TIMEOUT = 60


def ready(workdir):
    with open(os.path.join(workdir, 'emulator.json'), encoding='utf-8') as handle:
        return json.load(handle)


def call(workdir, path, body=None, method=None):
    emulator = ready(workdir)
    context = ssl.create_default_context(cafile=emulator['ca_path'])
    data = None if body is None else json.dumps(body).encode('utf-8')
    request = urllib.request.Request(emulator['url'] + '/_emulator/' + path, data=data, method=method,
                                     headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, context=context, timeout=30) as response:
        return json.load(response)


def start(workdir, port=0):
    os.makedirs(workdir, exist_ok=True)
    ready_file = os.path.join(workdir, 'emulator.json')
    if os.path.exists(ready_file):
        os.unlink(ready_file)
    with open(os.path.join(workdir, 'serve.log'), 'ab') as log:
        # A session of its own, and no inherited stdout, so a playbook task that starts it does not wait for it.
        process = subprocess.Popen([sys.executable, SERVE, '--workdir', workdir, '--port', str(port)],  # pylint: disable=consider-using-with
                                   stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
    deadline = time.monotonic() + READY_TIMEOUT
    while not os.path.exists(ready_file):
        if process.poll() is not None:
            sys.exit('the TPP emulator exited with %s; see %s/serve.log' % (process.returncode, workdir))
        if time.monotonic() > deadline:
            process.kill()
            sys.exit('the TPP emulator was not ready within %d s' % READY_TIMEOUT)
        time.sleep(0.05)
    print(ready(workdir)['url'])


def stop(workdir):
    try:
        pid = ready(workdir)['pid']
    except FileNotFoundError:
        return
    try:
        os.kill(pid, signal.SIGTERM)
        for _attempt in range(200):
            time.sleep(0.05)
            os.kill(pid, 0)
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def hold_lock(cache_dir, ready_file):
    sys.path.insert(0, COLLECTIONS)
    from ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_store import FileStore  # pylint: disable=import-outside-toplevel
    locks = glob.glob(os.path.join(cache_dir, '*.lock'))
    if len(locks) != 1:
        sys.exit('expected one lock file in %s, found %d' % (cache_dir, len(locks)))
    key = os.path.basename(locks[0])[:-len('.lock')]
    with FileStore(cache_dir, warn=print).lock(key):
        with open(ready_file, 'w', encoding='utf-8') as handle:
            handle.write('%d\n' % os.getpid())
        while True:
            time.sleep(60)


def lock_free(cache_dir):
    for path in glob.glob(os.path.join(cache_dir, '*.lock')):
        fd = os.open(path, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return 1
        finally:
            os.close(fd)
    return 0


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    where, command, args = argv[1], argv[2], argv[3:]
    if command == 'start':
        start(where, int(args[0]) if args else 0)
    elif command == 'stop':
        stop(where)
    elif command == 'restart':
        port = urlsplit(ready(where)['url']).port
        stop(where)
        start(where, port)
    elif command == 'counts':
        requests = call(where, 'stats')['requests']
        print(' '.join(str(requests.get(key, 0)) for key in args))
    elif command == 'now':
        print(int(call(where, 'clock')['now']))
    elif command == 'advance':
        call(where, 'clock', {'advance': int(args[0])})
    elif command == 'fault':
        call(where, 'faults', json.loads(args[0]))
    elif command == 'clear-faults':
        call(where, 'faults', method='DELETE')
    elif command == 'hold-lock':
        hold_lock(where, args[0])
    elif command == 'lock-free':
        return lock_free(where)
    else:
        sys.exit(__doc__)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
