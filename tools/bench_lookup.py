"""Benchmark: what the access_token lookup costs a playbook, in authorizations and time, against the emulator.

    python tools/bench_lookup.py [--hosts 1,100,500] [--forks 25] [--runs 3] [--task template|copy|set_fact] [--reference]
                                 [--installed DIR]

For each host count H, runs one playbook over H hosts (connection local, forks 25) with one templated
task, in three variants:

  (a) lookup, cache: file   the lookup with its default file cache, starting from an empty cache;
  (b) lookup, cache: none   the lookup authorizing on every call;
  (c) constant              the same playbook with a constant string instead of the lookup (the floor).

--reference adds (d), the same playbook with the builtin env lookup instead, for comparison.

The task is ``template`` (default: renders a configuration file holding the token on each host, the
lookup's main use), ``copy`` (the same with inline content) or ``set_fact`` (nothing but templating,
the worst case for any lookup: see below).

What (a) adds to (c) is mostly not the cache: Ansible runs each host's task in a new fork, which loads
the lookup plugin anew (imports its code and learns its options: about 14 ms of CPU for this lookup,
6 ms for the builtin env lookup, as tools/lookup_load_cost.py shows); a cache hit itself reads one small
file. The lookup's code comes from its bytecode in the collection's __pycache__, which the first fork
writes unless PYTHONDONTWRITEBYTECODE is set (then, with no bytecode there yet, each fork compiles it,
about 14 ms more). With ``set_fact``, whose own per-host cost is a few milliseconds, that per-fork load
shows, for any lookup; with a task that runs a module on each host it is a few per cent of the module's cost.

It prints, per variant, the authorization requests the emulator counted (POST /vedauth/authorize/oauth;
refreshes and verifications in parentheses when there were any), the median wall time of
ansible-playbook (start-up included) over --runs runs, the variants interleaved so that drift in
the machine's load hits them alike, and the median CPU time of ansible-playbook and its forks (user +
system), which other load on the machine disturbs less than wall time. Uses the collection installed
by `make install` (.build/installed).
"""

import argparse
import json
import os
import resource
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from with_emulator import REPO_ROOT, start_emulator, stop_emulator  # pylint: disable=import-error

TASK_VALUE = {
    'file': "{{ lookup('venafi_tpp.auth.access_token', cache='file') }}",
    'none': "{{ lookup('venafi_tpp.auth.access_token', cache='none') }}",
    'constant': 'KT2EEVTIjWM/37L78dqJAg==',
    'env': "{{ lookup('ansible.builtin.env', 'VENAFI_TPP_CLIENT_ID') }}",
}
VARIANTS = (('file', '(a) lookup, cache: file'), ('none', '(b) lookup, cache: none'), ('constant', '(c) constant string'))
REFERENCE = ('env', '(d) builtin env lookup')

TASKS = {
    'set_fact': '''
      ansible.builtin.set_fact:
        bench_token: "%s"
''',
    'copy': '''
      ansible.builtin.copy:
        content: "token = %s\\n"
        dest: "{{ bench_output }}/{{ inventory_hostname }}.conf"
        mode: "0600"
''',
    'template': '''
      ansible.builtin.template:
        src: "{{ bench_template }}"
        dest: "{{ bench_output }}/{{ inventory_hostname }}.conf"
        mode: "0600"
      vars:
        bench_token: "%s"
''',
}
# The template the template task renders: the token in a configuration file, the lookup's main use.
TEMPLATE = '[tpp]\ntoken = {{ bench_token }}\n'

PLAYBOOK = '''
- name: Template a token on every host
  hosts: all
  gather_facts: false
  tasks:
    - name: Template the token
      no_log: true%s'''

COUNTED = ('POST /vedauth/authorize/oauth', 'POST /vedauth/authorize/token', 'GET /vedauth/authorize/verify')


def emulator_stats(ready):
    context = ssl.create_default_context(cafile=ready['ca_path'])
    with urllib.request.urlopen(ready['url'] + '/_emulator/stats', context=context, timeout=30) as response:
        requests = json.load(response)['requests']
    return dict((name, requests.get(name, 0)) for name in COUNTED)


def write_inventory(path, hosts):
    with open(path, 'w', encoding='utf-8') as handle:
        handle.write('[all:vars]\nansible_connection=local\nansible_python_interpreter=%s\n[all]\n' % sys.executable)
        for number in range(hosts):
            handle.write('bench-host-%04d\n' % number)


def run_playbook(workdir, inventory, variant, task, forks, env, ready):
    """One run: (wall seconds, request counts)."""
    playbook = os.path.join(workdir, 'bench-%s-%s.yml' % (task, variant))
    if not os.path.exists(playbook):
        with open(playbook, 'w', encoding='utf-8') as handle:
            handle.write(PLAYBOOK % (TASKS[task] % TASK_VALUE[variant]))
    cache_dir, output = os.path.join(workdir, 'cache'), os.path.join(workdir, 'output')
    for path in (cache_dir, output):
        shutil.rmtree(path, ignore_errors=True)
    os.makedirs(output)
    template = os.path.join(workdir, 'bench.conf.j2')
    if not os.path.exists(template):
        with open(template, 'w', encoding='utf-8') as handle:
            handle.write(TEMPLATE)
    before = emulator_stats(ready)
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    run = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', inventory, '-f', str(forks),
                          '-e', 'bench_output=%s' % output, '-e', 'bench_template=%s' % template, playbook],
                         env=dict(env, VENAFI_TPP_CACHE_DIR=cache_dir), check=False, capture_output=True, text=True)
    wall = time.monotonic() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    if run.returncode:
        problems = [line for line in (run.stdout + run.stderr).splitlines() if line.startswith(('fatal:', '[ERROR]', '[WARNING]', 'ERROR!'))]
        raise SystemExit('the benchmark playbook (%s, %s) failed:\n%s' % (task, variant, '\n'.join(problems[:20]) or run.stderr[-3000:]))
    after = emulator_stats(ready)
    return wall, cpu, dict((name, after[name] - before[name]) for name in COUNTED)


def describe(counts):
    authorizations = sorted(set(count['POST /vedauth/authorize/oauth'] for count in counts))
    text = '/'.join(str(number) for number in authorizations)
    others = []
    for name, label in (('POST /vedauth/authorize/token', 'refresh'), ('GET /vedauth/authorize/verify', 'verify')):
        values = sorted(set(count[name] for count in counts))
        if values != [0]:
            others.append('%s %s' % ('/'.join(str(value) for value in values), label))
    return text + (' (%s)' % ', '.join(others) if others else '')


def versus(value, floor, variant):
    return 'floor' if variant == 'constant' else '%+.1f %%' % (100.0 * (value - floor) / floor)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--hosts', default='1,100,500', help='comma-separated host counts (default 1,100,500)')
    parser.add_argument('--forks', type=int, default=25)
    parser.add_argument('--runs', type=int, default=3, help='runs per variant and host count; the median is shown')
    parser.add_argument('--task', choices=sorted(TASKS), default='template', help='the templated task (default template)')
    parser.add_argument('--installed', default=os.path.join(REPO_ROOT, '.build', 'installed'),
                        help='the directory the collection is installed in (default .build/installed, where `make install` puts it)')
    parser.add_argument('--reference', action='store_true', help='add (d): the same playbook with ansible.builtin.env as the lookup')
    args = parser.parse_args()
    variants = VARIANTS + ((REFERENCE,) if args.reference else ())
    host_counts = [int(value) for value in args.hosts.split(',') if value.strip()]
    installed = os.path.abspath(args.installed)
    if not os.path.isdir(os.path.join(installed, 'ansible_collections', 'venafi_tpp', 'auth')):
        raise SystemExit('no venafi_tpp.auth collection in %s: run `make install` first' % installed)
    workdir = tempfile.mkdtemp(prefix='tpp-bench-lookup-')
    process, ready = start_emulator(os.path.join(workdir, 'emulator'))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=installed, ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
               ANSIBLE_HOST_KEY_CHECKING='false', ANSIBLE_RETRY_FILES_ENABLED='false',
               VENAFI_TPP_URL=ready['url'], VENAFI_TPP_CA_PATH=ready['ca_path'], VENAFI_TPP_CLIENT_ID='vcert-sdk',
               VENAFI_TPP_SCOPE='certificate:manage', VENAFI_TPP_USERNAME='svc-ansible',
               VENAFI_TPP_PASSWORD=process.seed['users']['svc-ansible']['password'])
    print('venafi_tpp.auth.access_token: one %s task over H hosts, connection local, forks %d, median of %d runs, %d CPUs'
          % (args.task, args.forks, args.runs, os.cpu_count() or 0))
    if env.get('PYTHONDONTWRITEBYTECODE'):
        print('PYTHONDONTWRITEBYTECODE is set: the forks write no bytecode of the lookup\'s code, and compile it unless an earlier run did')
    print('%5s  %-24s %16s %9s %17s %9s %9s %9s' % ('H', 'variant', 'authorizations', 'wall s', '(min - max)', 'vs (c)', 'cpu s', 'vs (c)'),
          flush=True)
    try:
        for hosts in host_counts:
            inventory = os.path.join(workdir, 'hosts-%d.ini' % hosts)
            write_inventory(inventory, hosts)
            walls, cpus, counts = {}, {}, {}
            for variant, _label in variants:
                walls[variant], cpus[variant], counts[variant] = [], [], []
            for _run in range(args.runs):
                for variant, _label in variants:
                    wall, cpu, count = run_playbook(workdir, inventory, variant, args.task, args.forks, env, ready)
                    print('  H=%d %s: %.2f s wall, %.2f s CPU' % (hosts, variant, wall, cpu), file=sys.stderr, flush=True)
                    walls[variant].append(wall)
                    cpus[variant].append(cpu)
                    counts[variant].append(count)
            wall_floor, cpu_floor = statistics.median(walls['constant']), statistics.median(cpus['constant'])
            for variant, label in variants:
                wall, cpu = statistics.median(walls[variant]), statistics.median(cpus[variant])
                print('%5d  %-24s %16s %9.2f %17s %9s %9.2f %9s' % (
                    hosts, label, describe(counts[variant]), wall, '(%.2f - %.2f)' % (min(walls[variant]), max(walls[variant])),
                    versus(wall, wall_floor, variant), cpu, versus(cpu, cpu_floor, variant)), flush=True)
    finally:
        stop_emulator(process)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
