"""What each Ansible worker pays to load a lookup plugin and answer one call: CPU milliseconds per fork.

    python tools/lookup_load_cost.py [--forks 40] [--installed DIR]

Ansible runs each task of each host in a new fork of ansible-playbook, which has not loaded the lookup,
so every fork imports the plugin's code, reads its documentation to learn its options, and then runs it.
This forks --forks workers the way Ansible's WorkerProcess does (multiprocessing, fork), each of which
loads one lookup and calls it once, and prints the median CPU time of each step:

  import  importing the plugin and what it imports;
  docs    the rest of lookup_loader.get(): parsing DOCUMENTATION and its fragments into option definitions;
  call    run(): for venafi_tpp.auth.access_token a hit in a file cache filled beforehand (no request).

and ansible.builtin.env for comparison. It also names the heavy libraries a fork imported, and lists the
collection modules a cache hit imports with the size of their source, what compiling it costs, and whether
the fork compiled it or read its bytecode: Ansible's collection loader compiles the source of each module
in every fork (it keeps no bytecode), so the lookup loads its private helpers with Python's own loader,
which keeps their bytecode in __pycache__ (bytecode_cached_imports in plugins/lookup/access_token.py). The first fork writes
it, unless PYTHONDONTWRITEBYTECODE is set. Documentation strings cost little to compile, code costs. Uses
the collection installed by `make install` (.build/installed); talks to no server.

Its forks come from a small process, so they show little of what the cyclic garbage collector costs a real worker, which
inherits all of ansible-playbook's objects; the lookup freezes those (gc.freeze in plugins/lookup/access_token.py), and
tools/bench_lookup.py, which runs real playbooks, measures the whole cost.
"""

import argparse
import importlib
import multiprocessing
import os
import statistics
import sys
import tempfile
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOOKUP = 'venafi_tpp.auth.access_token'
OPTIONS = dict(url='https://tpp.example.com', client_id='ansible-automation', scope='certificate:manage', username='svc-ansible',
               password='not-sent', cache='file')
# Libraries a cache hit does not need; their presence in a fork is worth knowing.
HEAVY = ('requests', 'urllib3', 'requests_ntlm', 'ssl', 'http.client', 'ansible.module_utils.basic')
COLLECTION = 'ansible_collections.venafi_tpp.auth.'
# The module that holds the lookup's code, and so the tpp_backend it calls.
LOOKUP_CODE = 'ansible_collections.venafi_tpp.auth.plugins.plugin_utils._access_token_lookup'
PLUGINS = (
    (LOOKUP, 'ansible_collections.venafi_tpp.auth.plugins.lookup.access_token', [], OPTIONS),
    ('ansible.builtin.env', 'ansible.plugins.lookup.env', ['HOME'], {}),
)


class FakeBackend:
    """Answers the one authorization that fills the cache, as TPP would."""

    url = OPTIONS['url']
    client_id = OPTIONS['client_id']
    tls = {'ca_path': None, 'validate_certs': True}

    def authorize(self):
        now = int(time.time())
        return {'access_token': 'KT2EEVTIjWM/37L78dqJAg==', 'refresh_token': 'f60/oxwEeBAqUSCalEzUJw==', 'expires': now + 86400,
                'expires_in': 86400, 'refresh_until': now + 31536000, 'scope': OPTIONS['scope'],
                'identity': 'local:{198c2d48-9e79-4f10-b871-e2f109476032}', 'token_type': 'Bearer'}


def fill_cache(cache_dir, results):
    """In a worker of this run (the cache remembers the run that confirmed an entry): one lookup call that authorizes."""
    from ansible.plugins.loader import lookup_loader  # pylint: disable=import-outside-toplevel
    importlib.import_module(PLUGINS[0][1])
    sys.modules[LOOKUP_CODE].tpp_backend = lambda options, warn=None: FakeBackend()
    results.put(lookup_loader.get(LOOKUP).run([], variables={}, cache_dir=cache_dir, **OPTIONS)[0])


def measure(name, module, terms, kwargs, results):
    """In a fresh worker: the CPU seconds of import, docs and call, and the heavy libraries it ended up with."""
    from ansible.plugins.loader import lookup_loader  # pylint: disable=import-outside-toplevel
    before = set(sys.modules)
    started = time.process_time()
    importlib.import_module(module)
    imported = time.process_time()
    plugin = lookup_loader.get(name)
    loaded = time.process_time()
    plugin.run(terms, variables={}, **kwargs)
    called = time.process_time()
    heavy = sorted(library for library in HEAVY if library in sys.modules and library not in before)
    results.put((imported - started, loaded - imported, called - loaded, len(set(sys.modules) - before), heavy,
                 compile_costs(sorted(name for name in set(sys.modules) - before if name.startswith(COLLECTION)))))


def compile_costs(names):
    """(path in the collection, source bytes, CPU seconds to compile it again, how the fork got its code) of the modules
    ``names`` that have source."""
    costs = []
    for name in names:
        module = sys.modules[name]
        path = getattr(module, '__file__', None)
        if not path or not path.endswith('.py'):
            continue
        with open(path, 'rb') as handle:
            source = handle.read()
        started = time.process_time()
        compile(source, path, 'exec', dont_inherit=True)
        cached = getattr(module, '__cached__', None)
        # Python's source loader reads __pycache__ when it holds bytecode as new as the source; Ansible's never does.
        loaded = 'bytecode' if cached and os.path.isfile(cached) and os.path.getmtime(cached) >= os.path.getmtime(path) else 'compiled'
        costs.append((name[len(COLLECTION):].replace('.', '/') + '.py', len(source), time.process_time() - started, loaded))
    return costs


def in_worker(target, *args):
    context = multiprocessing.get_context('fork')
    results = context.Queue()
    worker = context.Process(target=target, args=args + (results,))
    worker.start()
    result = results.get(timeout=120)
    worker.join()
    if worker.exitcode:
        raise SystemExit('the worker failed (exit code %s)' % worker.exitcode)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--forks', type=int, default=40, help='workers per lookup (default 40); the median is shown')
    parser.add_argument('--installed', default=os.path.join(REPO_ROOT, '.build', 'installed'),
                        help='the directory the collection is installed in (default .build/installed, where `make install` puts it)')
    args = parser.parse_args()
    installed = os.path.abspath(args.installed)
    if not os.path.isdir(os.path.join(installed, 'ansible_collections', 'venafi_tpp', 'auth')):
        raise SystemExit('no venafi_tpp.auth collection in %s: run `make install` first' % installed)
    os.environ['ANSIBLE_COLLECTIONS_PATH'] = installed
    # What ansible-playbook has loaded before it forks a worker: its CLI, the executor and the templar, the plugin loaders.
    # pylint: disable=import-outside-toplevel,unused-import
    import ansible.cli.playbook
    import ansible.executor.process.worker
    import ansible.template
    from ansible.plugins.loader import init_plugin_loader, lookup_loader
    init_plugin_loader([])
    lookup_loader.get('ansible.builtin.items')
    with tempfile.TemporaryDirectory(prefix='lookup-load-cost-') as cache_dir:
        token = in_worker(fill_cache, cache_dir)
        print('per-fork cost of loading a lookup and calling it once: CPU ms, median of %d forks, %d CPUs' % (args.forks, os.cpu_count() or 0))
        print('%-30s %8s %8s %8s %8s %9s  %s' % ('lookup', 'import', 'docs', 'call', 'total', 'modules', 'heavy libraries imported'))
        for name, module, terms, kwargs in PLUGINS:
            kwargs = dict(kwargs, cache_dir=cache_dir) if name == LOOKUP else kwargs
            samples = [in_worker(measure, name, module, terms, kwargs) for _fork in range(args.forks)]
            steps = [statistics.median(sample[step] for sample in samples) * 1000 for step in range(3)]
            totals = statistics.median(sum(sample[:3]) for sample in samples) * 1000
            print('%-30s %8.1f %8.1f %8.1f %8.1f %9d  %s' % (name, steps[0], steps[1], steps[2], totals, samples[0][3],
                                                             ', '.join(samples[0][4]) or 'none'), flush=True)
            if name == LOOKUP:
                hit_path = samples[0][5]
                compiled = [statistics.median(sample[5][number][2] for sample in samples) * 1000 for number in range(len(hit_path))]
        print('\nthe modules of %s a cache hit imports, the CPU ms compiling each costs (median), and what a fork did:'
              % LOOKUP.rsplit('.', 1)[0])
        for (path, size, _seconds, loaded), milliseconds in zip(hit_path, compiled):
            print('  %-46s %6.1f KB %6.1f ms  %s' % (path, size / 1000.0, milliseconds, loaded))
        print('  %-46s %6.1f KB %6.1f ms' % ('%d modules' % len(hit_path), sum(module[1] for module in hit_path) / 1000.0, sum(compiled)))
        if sys.flags.dont_write_bytecode:
            print('PYTHONDONTWRITEBYTECODE is set: forks read the bytecode __pycache__ holds but write none; unset it to measure a default setup.')
        if not token:
            raise SystemExit('filling the cache returned no token')
    return 0


if __name__ == '__main__':
    sys.exit(main())
