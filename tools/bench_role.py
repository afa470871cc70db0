"""Benchmark: the integration_bootstrap role over 100 hosts against a plain ansible.builtin.copy of the same client JSON.

    python tools/bench_role.py [--hosts 100] [--forks 25] [--runs 3] [--scenario fresh|converged|both]   (default: fresh)

Runs ansible-playbook against the collection installed by `make install` (.build/installed) and the bundled emulator, over an
inventory of local hosts, each with a client JSON path of its own. One untimed run of the role registers the integration first.
Then, --runs times, alternating the two playbooks:

- fresh: the files are deleted (their directories stay, which a plain copy needs), then the playbook writes them all;
- converged: the playbook runs again over files that are already right, and must report changed=0.

With --dir-task, the plain copy also ensures the directory (one more module run per host, as the role does), which isolates the
role's own cost.

The role run includes everything the role does: argument validation, obtaining and revoking the administrator's token, reading the
integration (no change), the directory task and the copy. The plain copy is one ansible.builtin.copy task with the same content
and mode. Prints the median wall time of each (ansible-playbook start-up included) and the ratio role / copy.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from with_emulator import REPO_ROOT, start_emulator, stop_emulator  # pylint: disable=import-error

ROLE_PLAYBOOK = '''
- name: The role
  hosts: fleet
  gather_facts: false
  roles:
    - role: venafi_tpp.auth.integration_bootstrap
      vars:  # and the administrator's login, from the emulator's seed (admin.json)
        integration_bootstrap_name: bench-app
        integration_bootstrap_scope: certificate:discover,manage
        integration_bootstrap_allowed_identities: [local:svc-ansible]
'''

COPY_PLAYBOOK = '''
- name: A plain copy
  hosts: fleet
  gather_facts: false
  tasks:%s
    - name: Copy the client JSON
      ansible.builtin.copy:
        content: "{{ bench_client_json }}"
        dest: "{{ integration_bootstrap_client_json_path }}"
        mode: "0640"
'''

# With --dir-task, the plain copy also ensures the file's directory, as the role does: what is left of the difference is the
# role's own cost (argument validation, the TPP tasks, skipped tasks).
DIR_TASK = '''
    - name: Ensure the directory
      ansible.builtin.file:
        path: "{{ integration_bootstrap_client_json_path | dirname }}"
        state: directory
        mode: "0755"'''

RECAP_LINE = re.compile(r'^(\S+)\s+: ok=\d+\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)', re.MULTILINE)


def write(path, text):
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--hosts', type=int, default=100)
    parser.add_argument('--forks', type=int, default=25)
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--scenario', choices=['fresh', 'converged', 'both'], default='fresh')
    parser.add_argument('--dir-task', action='store_true', help='give the plain copy a directory task too, as the role has')
    parser.add_argument('--collections-path', default=os.path.join(REPO_ROOT, '.build', 'installed'),
                        help='the directory holding ansible_collections/venafi_tpp/auth (default: .build/installed, from `make install`)')
    args = parser.parse_args()
    installed = args.collections_path
    if not os.path.isdir(os.path.join(installed, 'ansible_collections', 'venafi_tpp', 'auth', 'roles', 'integration_bootstrap')):
        raise SystemExit('run `make install` first')
    workdir = tempfile.mkdtemp(prefix='tpp-bench-role-')
    paths = [os.path.join(workdir, 'hosts', 'host-%03d' % number, 'etc', 'venafi', 'bench-app.json') for number in range(1, args.hosts + 1)]
    inventory = os.path.join(workdir, 'fleet.ini')
    write(inventory, '[fleet]\n' + ''.join('host-%03d integration_bootstrap_client_json_path=%s\n' % (number, path)
                                           for number, path in enumerate(paths, 1))
          + '[fleet:vars]\nansible_connection=local\nansible_python_interpreter="{{ ansible_playbook_python }}"\n')
    playbooks = {'role': os.path.join(workdir, 'role.yml'), 'copy': os.path.join(workdir, 'copy.yml')}
    write(playbooks['role'], ROLE_PLAYBOOK)
    write(playbooks['copy'], COPY_PLAYBOOK % (DIR_TASK if args.dir_task else ''))
    ansible_playbook = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
    process, ready = start_emulator(os.path.join(workdir, 'emulator'))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=installed, VENAFI_TPP_URL=ready['url'], VENAFI_TPP_CA_PATH=ready['ca_path'],
               ANSIBLE_NOCOLOR='true', ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_RETRY_FILES_ENABLED='false')
    admin = process.seed['admin']
    write(os.path.join(workdir, 'admin.json'), json.dumps({'integration_bootstrap_admin_username': admin['username'],
                                                           'integration_bootstrap_admin_password': admin['password'],
                                                           'integration_bootstrap_admin_client_id': admin['client_id']}))

    def play(which, want_changed=None):
        extra = ['-e', '@' + os.path.join(workdir, 'content.json' if which == 'copy' else 'admin.json')]
        started = time.monotonic()
        run = subprocess.run([ansible_playbook, '-i', inventory, '-f', str(args.forks), playbooks[which]] + extra,
                             env=env, check=False, capture_output=True, text=True)
        seconds = time.monotonic() - started
        hosts = RECAP_LINE.findall(run.stdout)
        if run.returncode or len(hosts) != args.hosts or any(int(failed) or int(unreachable) for _h, _c, unreachable, failed in hosts):
            raise SystemExit('the %s playbook failed:\n%s%s' % (which, run.stdout[-3000:], run.stderr[-2000:]))
        if want_changed is not None and any(int(changed) != want_changed for _h, changed, _u, _f in hosts):
            raise SystemExit('the %s playbook should report changed=%d on every host:\n%s' % (which, want_changed, run.stdout[-3000:]))
        return seconds

    def delete_files():
        for path in paths:
            os.unlink(path)

    scenarios = ['fresh', 'converged'] if args.scenario == 'both' else [args.scenario]
    times = dict(((scenario, which), []) for scenario in scenarios for which in ('role', 'copy'))
    try:
        print('untimed first run of the role: registers the integration, creates %d directories and files' % args.hosts, flush=True)
        play('role')
        with open(paths[0], encoding='utf-8') as handle:
            write(os.path.join(workdir, 'content.json'), json.dumps({'bench_client_json': handle.read()}))
        for number in range(1, args.runs + 1):
            for which in ('role', 'copy'):
                if 'fresh' in scenarios:
                    delete_files()
                    times['fresh', which].append(play(which))
                if 'converged' in scenarios:
                    times['converged', which].append(play(which, want_changed=0))
            latest = ', '.join('%s %s %.1f s' % (scenario, which, values[-1]) for (scenario, which), values in times.items())
            print('round %d of %d: %s' % (number, args.runs, latest), flush=True)
    finally:
        stop_emulator(process)
    print('\n%d hosts (connection local), %d forks, median of %d runs, wall time of ansible-playbook; plain copy %s a directory task:'
          % (args.hosts, args.forks, args.runs, 'with' if args.dir_task else 'without'))
    for scenario in scenarios:
        role, copy = statistics.median(times[scenario, 'role']), statistics.median(times[scenario, 'copy'])
        print('  %-9s role %6.1f s  plain copy %6.1f s  ratio %.2f   (role runs %s; copy runs %s)' % (
            scenario, role, copy, role / copy, ', '.join('%.1f' % value for value in times[scenario, 'role']),
            ', '.join('%.1f' % value for value in times[scenario, 'copy'])))
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
