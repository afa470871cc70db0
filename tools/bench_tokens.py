"""Benchmark: wall time of a token task and of an obtain-verify-revoke playbook against the emulator.

    python tools/bench_tokens.py [--runs 5]

Runs ansible-playbook against the collection installed by `make install` (.build/installed), with the
JSON callback, and prints the median (and spread) of the token task's own duration and of the whole
playbook's wall time, including ansible-playbook's start-up.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

from with_emulator import REPO_ROOT, start_emulator, stop_emulator  # pylint: disable=import-error

PLAYBOOK = '''
- name: Obtain, verify and revoke a token
  hosts: localhost
  connection: local
  gather_facts: false
  vars:
    ansible_python_interpreter: "{{ ansible_playbook_python }}"
  tasks:
    - name: Obtain
      venafi_tpp.auth.token: {client_id: vcert-sdk, scope: certificate:manage, username: svc-ansible}  # password: VENAFI_TPP_PASSWORD
      register: login
    - name: Verify
      venafi_tpp.auth.token_info: {access_token: "{{ login.access_token }}"}
    - name: Revoke
      venafi_tpp.auth.token: {state: absent, access_token: "{{ login.access_token }}"}
'''


# ansible-core 2.19 ships no timing callback, so the benchmark brings a tiny one next to its playbook.
TIMER_CALLBACK = '''
import json, os, time
from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'bench_timer'

    def __init__(self):
        super().__init__()
        self.started, self.seconds = {}, {}

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.started[task.get_name()] = time.monotonic()

    def v2_runner_on_ok(self, result):
        name = result.task_name
        self.seconds[name] = time.monotonic() - self.started[name]

    def v2_playbook_on_stats(self, stats):
        with open(os.environ['BENCH_TIMES'], 'w') as handle:
            json.dump(self.seconds, handle)
'''


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=5)
    args = parser.parse_args()
    installed = os.path.join(REPO_ROOT, '.build', 'installed')
    if not os.path.isdir(installed):
        raise SystemExit('run `make install` first')
    workdir = tempfile.mkdtemp(prefix='tpp-bench-')
    playbook = os.path.join(workdir, 'bench.yml')
    with open(playbook, 'w', encoding='utf-8') as handle:
        handle.write(PLAYBOOK)
    os.makedirs(os.path.join(workdir, 'callback_plugins'))
    with open(os.path.join(workdir, 'callback_plugins', 'bench_timer.py'), 'w', encoding='utf-8') as handle:
        handle.write(TIMER_CALLBACK)
    times_path = os.path.join(workdir, 'times.json')
    process, ready = start_emulator(os.path.join(workdir, 'emulator'))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=installed, ANSIBLE_CALLBACKS_ENABLED='bench_timer', BENCH_TIMES=times_path,
               VENAFI_TPP_URL=ready['url'], VENAFI_TPP_CA_PATH=ready['ca_path'], VENAFI_TPP_PASSWORD=process.seed['users']['svc-ansible']['password'],
               ANSIBLE_LOCALHOST_WARNING='false',
               ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
    token_task, playbook_wall = [], []
    try:
        for _run in range(args.runs):
            started = time.monotonic()
            run = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', 'localhost,', playbook],
                                 env=env, check=False, capture_output=True, text=True)
            if run.returncode:
                raise SystemExit('the benchmark playbook failed:\n' + run.stdout[-3000:] + run.stderr[-2000:])
            playbook_wall.append(time.monotonic() - started)
            with open(times_path, encoding='utf-8') as handle:
                token_task.append(json.load(handle)['Obtain'])
    finally:
        stop_emulator(process)
    for label, values in (('token task (obtain)', token_task), ('playbook obtain+verify+revoke', playbook_wall)):
        print('%-32s median %.3f s  (min %.3f, max %.3f, %d runs)' % (label, statistics.median(values), min(values), max(values), len(values)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
