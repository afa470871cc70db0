"""The TPP emulator for the runme.sh targets (emulator.sh runs it as `ctl`): start, stop and restart it, drive its control
API, and a few TPP calls the tests make beside the collection. Standard library only.

    python tpp_ctl.py WORKDIR start [PORT]         starts the emulator in the background (tests/emulator/launch.py) and prints its URL
    python tpp_ctl.py WORKDIR stop                 stops the emulator that emulator.json names
    python tpp_ctl.py WORKDIR restart              stops it and starts it again on the same port, with the same CA: it forgets every token
    python tpp_ctl.py WORKDIR counts KEY...        prints the request counters KEY ('POST /vedauth/authorize/oauth'), space-separated
    python tpp_ctl.py WORKDIR stats                prints the emulator's stats as JSON: request counters and active grants
    python tpp_ctl.py WORKDIR expect FILE CHECK... compares the stats with FILE (saved by stats); each CHECK is NAME=N or
                                                   NAME>=N, NAME one of a counter ('POST /vedsdk/oauth/createapplication', the
                                                   requests since FILE), 'oauth-writes' (every write of /vedsdk/oauth/* since
                                                   FILE) or 'active_grants' (the number now); exits naming what differs
    python tpp_ctl.py WORKDIR now                  prints the server clock (epoch seconds)
    python tpp_ctl.py WORKDIR advance SECONDS      moves the server clock forward
    python tpp_ctl.py WORKDIR grants CLIENT_ID IDENTITY COUNT  issues COUNT real grants to IDENTITY on CLIENT_ID at once (the control API's
                                                   POST grants) and prints the number of active grants
    python tpp_ctl.py WORKDIR fault JSON           injects a fault ({"path", "status", "count", "delay", "drop"})
    python tpp_ctl.py WORKDIR clear-faults         drops the pending faults
    python tpp_ctl.py WORKDIR seed-vars FILE       writes the seed the emulator published (WORKDIR/seed.json) into FILE (mode
                                                   0600) as Ansible variables, for `-e @FILE` or include_vars: tpp_seed (all of
                                                   it) and tpp_<user>_password per user (tpp_admin_password, tpp_svc_ansible_password,
                                                   tpp_jdoe_password, tpp_svc_win_password); prints the passwords as shell
                                                   assignments of the same names, for eval
    python tpp_ctl.py WORKDIR admin-token FILE VAR obtains a token with the seed's administrator login (seed.json's admin: every
                                                   scope a role needs), saved in FILE (mode 0600) as YAML: VAR: TOKEN
    python tpp_ctl.py WORKDIR token-valid FILE yes|no  exits 0 when TPP finds FILE's token valid (yes) or not (no)
    python tpp_ctl.py WORKDIR revoke FILE          revokes FILE's token
    python tpp_ctl.py CACHE_DIR hold-lock READY    takes the one <key>.lock in CACHE_DIR with the collection's own lock code,
                                                   writes READY, and sleeps until killed
    python tpp_ctl.py CACHE_DIR lock-free          exits 0 when no process holds a lock in CACHE_DIR, 1 when one does
"""

import fcntl
import glob
import inspect
import json
import os
import re
import shlex
import ssl
import sys
import time
import urllib.error
import urllib.request

COLLECTIONS = os.environ.get('ANSIBLE_COLLECTIONS_PATH', '').split(':')[0]
sys.path.insert(0, os.path.join(COLLECTIONS, 'ansible_collections', 'venafi_tpp', 'auth', 'tests', 'emulator'))

import launch  # noqa: E402  pylint: disable=import-error,wrong-import-position
from tpp_emulator.oauth.core import WRITES  # noqa: E402  pylint: disable=import-error,wrong-import-position

# Every /vedsdk/oauth/* operation that changes TPP's state, from the emulator's own list (its package is standard library
# only up to there), as the request counters name them.
OAUTH_WRITES = tuple(name.lower() for name in WRITES)


def ready(workdir):
    with open(os.path.join(workdir, 'emulator.json'), encoding='utf-8') as handle:
        return json.load(handle)


def request(workdir, method, path, body=None, token=None):
    """(status, JSON body) of one request to the emulator; HTTP errors are answers too."""
    emulator = ready(workdir)
    context = ssl.create_default_context(cafile=emulator['ca_path'])
    headers = {'Content-Type': 'application/json'}
    if token:
        headers['Authorization'] = 'Bearer ' + token
    data = None if body is None else json.dumps(body).encode('utf-8')
    http_request = urllib.request.Request(emulator['url'] + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(http_request, context=context, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def call(workdir, path, body=None, method=None):
    """The answer of the control API's PATH; fails unless it is a 200."""
    method = method or ('GET' if body is None else 'POST')
    status, answer = request(workdir, method, '/_emulator/' + path, body)
    if status != 200:
        sys.exit('%s /_emulator/%s: HTTP %s %s' % (method, path, status, answer))
    return answer


def start(workdir, port=0):
    print(launch.start(workdir, port).url)


def stop(workdir):
    try:
        launch.Emulator.attach(workdir).stop()
    except FileNotFoundError:
        pass


def expect(workdir, before_file, checks):
    with open(before_file, encoding='utf-8') as handle:
        before = json.load(handle)
    now = call(workdir, 'stats')
    failures = []
    for check in checks:
        name, operator, wanted = (check.partition('>=') if '>=' in check else check.partition('='))
        if name == 'active_grants':
            got = now['active_grants']
        elif name == 'oauth-writes':
            got = sum(now['requests'].get('POST /vedsdk/oauth/' + write, 0) - before['requests'].get('POST /vedsdk/oauth/' + write, 0)
                      for write in OAUTH_WRITES)
        else:
            got = now['requests'].get(name, 0) - before['requests'].get(name, 0)
        if not (got >= int(wanted) if operator == '>=' else got == int(wanted)):
            failures.append('%s: expected %s%s, got %s' % (name, operator, wanted, got))
    if failures:
        sys.exit('; '.join(failures))


def seed(workdir):
    """What the emulator published about its seed (WORKDIR/seed.json): users, teams, integrations, the admin login."""
    return launch.Emulator(workdir).seed


def seed_variables(workdir):
    """The seed as the targets' Ansible variables: tpp_seed, and tpp_<user>_password for each user with a password."""
    published = seed(workdir)
    variables = {'tpp_seed': published}
    for name, user in published['users'].items():
        if user.get('password'):
            variables['tpp_%s_password' % re.sub(r'\W', '_', name.lower())] = user['password']
    return variables


def seed_vars(workdir, vars_file):
    variables = seed_variables(workdir)
    write_private(vars_file, json.dumps(variables, indent=2) + '\n')
    for name, value in variables.items():
        if isinstance(value, str):
            print('%s=%s' % (name, shlex.quote(value)))


def write_private(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w', encoding='utf-8') as handle:
        handle.write(text)


def admin_token(workdir, token_file, variable):
    status, answer = request(workdir, 'POST', '/vedauth/authorize/oauth', seed(workdir)['admin'])
    if status != 200:
        sys.exit('could not obtain an administrator token: %s %s' % (status, answer))
    write_private(token_file, '%s: %s\n' % (variable, answer['access_token']))


def read_token(token_file):
    with open(token_file, encoding='utf-8') as handle:
        return handle.read().split(':', 1)[1].strip()


def token_valid(workdir, token_file, wanted):
    status = request(workdir, 'GET', '/vedauth/authorize/verify', token=read_token(token_file))[0]
    if (status == 200) != (wanted == 'yes'):
        sys.exit('the token of %s is %s' % (token_file, 'valid' if status == 200 else 'not valid (HTTP %s)' % status))


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


def restart(workdir):
    launch.Emulator.attach(workdir).restart()


def counts(workdir, *keys):
    requests = call(workdir, 'stats')['requests']
    print(' '.join(str(requests.get(key, 0)) for key in keys))


# Each command: called with WORKDIR (or CACHE_DIR) and the command's arguments; an int it returns is the exit status.
COMMANDS = {
    'start': lambda where, port=0: start(where, int(port)),
    'stop': stop,
    'restart': restart,
    'counts': counts,
    'stats': lambda where: print(json.dumps(call(where, 'stats'), indent=2, sort_keys=True)),
    'expect': lambda where, before_file, *checks: expect(where, before_file, checks),
    'now': lambda where: print(int(call(where, 'clock')['now'])),
    'advance': lambda where, seconds: call(where, 'clock', {'advance': int(seconds)}),
    'grants': lambda where, client_id, identity, count: print(
        call(where, 'grants', {'client_id': client_id, 'identity': identity, 'count': int(count)})['active_grants']),
    'fault': lambda where, fault: call(where, 'faults', json.loads(fault)),
    'clear-faults': lambda where: call(where, 'faults', method='DELETE'),
    'seed-vars': seed_vars,
    'admin-token': admin_token,
    'token-valid': token_valid,
    'revoke': lambda where, token_file: request(where, 'GET', '/vedauth/revoke/token', token=read_token(token_file)),
    'hold-lock': hold_lock,
    'lock-free': lock_free,
}


def main(argv):
    if len(argv) < 3 or argv[2] not in COMMANDS:
        sys.exit(__doc__)
    command = COMMANDS[argv[2]]
    try:
        inspect.signature(command).bind(argv[1], *argv[3:])
    except TypeError as error:
        sys.exit('%s: %s\n%s' % (argv[2], error, __doc__))
    try:
        status = command(argv[1], *argv[3:])
    except launch.LaunchError as error:
        sys.exit(str(error))
    return status if isinstance(status, int) else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
