"""The emulator and the hosts' files, for runme.sh. Standard library only.

    python tpp_control.py EMULATOR_JSON snapshot FILE          saves the emulator's request counters and active grants
    python tpp_control.py EMULATOR_JSON expect FILE CHECK...   compares them with FILE; each CHECK is NAME=N or NAME>=N, NAME one of
                                                               a counter ('POST /vedsdk/oauth/createapplication'), 'oauth-writes'
                                                               (every write of /vedsdk/oauth/*) or 'active_grants' (an absolute value)
    python tpp_control.py EMULATOR_JSON admin-token FILE       obtains an administrator's token, saved as YAML (role_it_admin_token)
    python tpp_control.py EMULATOR_JSON token-valid FILE yes|no checks whether that token is valid
    python tpp_control.py EMULATOR_JSON revoke FILE            revokes it
    python tpp_control.py EMULATOR_JSON files SCOPE MODE PATH...  checks each client JSON: exact content and mode
    python tpp_control.py EMULATOR_JSON no-files PATH...       checks that none of the files exists

Exits with a message naming what differs.
"""

import json
import os
import ssl
import stat
import sys
import urllib.error
import urllib.request

OAUTH_WRITES = ('createapplication', 'updateapplication', 'deleteapplication', 'createrule', 'updaterule', 'deleterule', 'revokegrants')


class Emulator:
    def __init__(self, ready_file):
        with open(ready_file, encoding='utf-8') as handle:
            ready = json.load(handle)
        self.url = ready['url']
        self.context = ssl.create_default_context(cafile=ready['ca_path'])

    def call(self, method, path, body=None, token=None):
        headers = {'Content-Type': 'application/json'}
        if token:
            headers['Authorization'] = 'Bearer ' + token
        data = None if body is None else json.dumps(body).encode('utf-8')
        request = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=30) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)

    def stats(self):
        return self.call('GET', '/_emulator/stats')[1]


def read_token(path):
    with open(path, encoding='utf-8') as handle:
        return handle.read().split(':', 1)[1].strip()


def expect(emulator, before_file, checks):
    with open(before_file, encoding='utf-8') as handle:
        before = json.load(handle)
    now = emulator.stats()
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


def check_files(emulator, scope, mode, paths):
    wanted = json.dumps({'client_id': 'role-it', 'scope': scope, 'url': emulator.url}, indent=2, sort_keys=True) + '\n'
    failures = []
    for path in paths:
        if not os.path.isfile(path):
            failures.append('%s does not exist' % path)
            continue
        with open(path, encoding='utf-8') as handle:
            content = handle.read()
        if content != wanted:
            failures.append('%s holds %r, expected %r' % (path, content, wanted))
        got_mode = stat.S_IMODE(os.stat(path).st_mode)
        if got_mode != int(mode, 8):
            failures.append('%s has mode %04o, expected %s' % (path, got_mode, mode))
        dir_mode = stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode)
        if dir_mode != 0o755:
            failures.append('%s has mode %04o, expected 0755' % (os.path.dirname(path), dir_mode))
    if failures:
        sys.exit('\n'.join(failures))


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    emulator, command, args = Emulator(argv[1]), argv[2], argv[3:]
    if command == 'snapshot':
        with open(args[0], 'w', encoding='utf-8') as handle:
            json.dump(emulator.stats(), handle)
    elif command == 'expect':
        expect(emulator, args[0], args[1:])
    elif command == 'admin-token':
        login = dict(client_id='tpp-admin', username='admin', password='admin-pass-1', scope='admin:delete;configuration')
        status, body = emulator.call('POST', '/vedauth/authorize/oauth', login)
        if status != 200:
            sys.exit('could not obtain an administrator token: %s %s' % (status, body))
        fd = os.open(args[0], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, 'w', encoding='utf-8') as handle:
            handle.write('role_it_admin_token: %s\n' % body['access_token'])
    elif command == 'token-valid':
        status = emulator.call('GET', '/vedauth/authorize/verify', token=read_token(args[0]))[0]
        if (status == 200) != (args[1] == 'yes'):
            sys.exit('the administrator token is %s' % ('valid' if status == 200 else 'not valid (HTTP %s)' % status))
    elif command == 'revoke':
        emulator.call('GET', '/vedauth/revoke/token', token=read_token(args[0]))
    elif command == 'files':
        check_files(emulator, args[0], args[1], args[2:])
    elif command == 'no-files':
        present = [path for path in args if os.path.lexists(path)]
        if present:
            sys.exit('these files should not exist: %s' % ', '.join(present))
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv)
