"""Check `make shell`: it starts, sets the environment the README promises, a one-line playbook works in it (with the
password from $TPP_EMULATOR_WORKDIR/seed.json), and the emulator stops when the shell exits.

    python tools/check_shell.py

Runs `make shell` with bash as $SHELL and the commands on its standard input, as a user's script would. Exits 1 with
one line per problem.
"""

import os
import ssl
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLAYBOOK = ('- {hosts: localhost, gather_facts: false, tasks: [{venafi_tpp.auth.token: {client_id: vcert-sdk, scope: certificate:manage, '
            'username: svc-ansible, password: "{{ users[\'svc-ansible\'].password }}"}, register: login}, {venafi_tpp.auth.token_info: {access_token: '
            '"{{ login.access_token }}"}, register: facts, failed_when: not facts.valid}, {venafi_tpp.auth.token: {state: absent, '
            'access_token: "{{ login.access_token }}"}}]}\n')
# What the shell prints: NAME=VALUE lines, then the playbook's output.
COMMANDS = '''for name in ANSIBLE_COLLECTIONS_PATH VENAFI_TPP_URL VENAFI_TPP_CA_PATH TPP_EMULATOR_WORKDIR; do echo "$name=${!name}"; done
echo "ANSIBLE_PLAYBOOK=$(command -v ansible-playbook)"
ansible-playbook %s -e "@$TPP_EMULATOR_WORKDIR/seed.json"
'''


def reachable(url, ca_path):
    try:
        urllib.request.urlopen(url + '/_emulator/stats', context=ssl.create_default_context(cafile=ca_path), timeout=5).close()
        return True
    except (urllib.error.URLError, OSError):
        return False


def main():
    problems = []
    with tempfile.TemporaryDirectory(prefix='check-shell-') as directory:
        playbook = os.path.join(directory, 'one_line.yml')
        with open(playbook, 'w', encoding='utf-8') as handle:
            handle.write(PLAYBOOK)
        env = dict((name, value) for name, value in os.environ.items()
                   if not name.startswith(('VENAFI_TPP_', 'ANSIBLE_')) and name not in ('TPP_EMULATOR_WORKDIR', 'MAKEFLAGS', 'MAKELEVEL'))
        venv_bin = os.path.join(REPO_ROOT, '.venv', 'bin')
        # Without the venv on PATH, as in a user's shell: make shell must put it there.
        env['PATH'] = os.pathsep.join(entry for entry in env['PATH'].split(os.pathsep) if os.path.abspath(entry) != venv_bin)
        env['SHELL'] = '/bin/bash'
        process = subprocess.run(['make', '--no-print-directory', 'shell'], cwd=REPO_ROOT, env=env, input=COMMANDS % playbook, text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    output = process.stdout
    values = dict(line.split('=', 1) for line in output.splitlines() if '=' in line and line.split('=', 1)[0].isupper())
    expected = {
        'ANSIBLE_COLLECTIONS_PATH': os.path.join(REPO_ROOT, '.build', 'installed'),
        'ANSIBLE_PLAYBOOK': os.path.join(REPO_ROOT, '.venv', 'bin', 'ansible-playbook'),
    }
    for name, value in expected.items():
        if values.get(name) != value:
            problems.append('%s in the shell is %r, not %r' % (name, values.get(name), value))
    url, ca_path = values.get('VENAFI_TPP_URL', ''), values.get('VENAFI_TPP_CA_PATH', '')
    if not url.startswith('https://127.0.0.1:') or not ca_path.endswith('/ca.pem') or not values.get('TPP_EMULATOR_WORKDIR'):
        problems.append('the shell does not have the emulator: VENAFI_TPP_URL=%r, VENAFI_TPP_CA_PATH=%r' % (url, ca_path))
    if 'venafi_tpp.auth shell: the TPP emulator at %s' % url not in output:
        problems.append('the shell printed no banner naming the emulator')
    if process.returncode != 0 or 'localhost                  : ok=3    changed=2    unreachable=0    failed=0' not in output:
        problems.append('the one-line playbook did not pass in the shell (exit status %d)' % process.returncode)
    if url and ca_path and os.path.exists(ca_path) and reachable(url, ca_path):
        problems.append('the emulator still answers at %s after the shell exited' % url)
    if problems:
        print(output)
        print('\n'.join('FAIL: make shell: ' + problem for problem in problems))
        return 1
    print('make shell: the emulator at %s, the installed collection, the venv; a one-line playbook passed; the emulator stopped on exit' % url)
    return 0


if __name__ == '__main__':
    sys.exit(main())
