# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a cache hit imports in a worker process: Ansible forks one per host and task, and compiles there the source of every
collection module the lookup imports, so each module on this path costs every host of every run."""

import json
import os
import subprocess
import sys

from ansible_collections.venafi_tpp.auth.plugins.lookup import access_token

COLLECTION = 'ansible_collections.venafi_tpp.auth.plugins.'
# The lookup, what it needs to resolve its options and compute the cache key, and the cache's reading side. Not the client
# JSON's code (no client_json given), not the renewal, nor anything that talks to TPP.
HIT_PATH = sorted(COLLECTION + name for name in (
    'lookup', 'lookup.access_token',
    'module_utils', 'module_utils._errors', 'module_utils._options', 'module_utils._scopes', 'module_utils._url',
    'plugin_utils', 'plugin_utils._access_token_lookup', 'plugin_utils._cache_key',
    'plugin_utils._token_cache', 'plugin_utils._token_policy', 'plugin_utils._token_store',
))

# Forks a worker that fills the file cache (the backend stands in for TPP) and then, as Ansible does for the next host,
# a fresh worker of the same run that finds the token there; prints what each returned and the second one imported.
PROBE = '''
import json, multiprocessing, sys, time
from ansible.plugins.loader import init_plugin_loader, lookup_loader

OPTIONS = json.loads(sys.argv[2])


class Tpp:
    url, client_id = OPTIONS['url'], OPTIONS['client_id']
    tls = {'ca_path': None, 'validate_certs': True}

    def authorize(self):
        return {'access_token': 'KT2EEVTIjWM/37L78dqJAg==', 'expires': int(time.time()) + 86400, 'expires_in': 86400}


def fill(queue):
    lookup = lookup_loader.get('venafi_tpp.auth.access_token')
    # The lookup's code, and so its tpp_backend, is that of the class it derives from.
    sys.modules[type(lookup).__mro__[1].__module__].tpp_backend = lambda options, warn=None: Tpp()
    queue.put([lookup.run([], variables={}, **OPTIONS), []])


def hit(queue):
    before = set(sys.modules)
    token = lookup_loader.get('venafi_tpp.auth.access_token').run([], variables={}, **OPTIONS)
    queue.put([token, sorted(name for name in set(sys.modules) - before if name.startswith('ansible_collections.'))])


init_plugin_loader([sys.argv[1]])
context = multiprocessing.get_context('fork')
for target in (fill, hit):
    queue = context.Queue()
    worker = context.Process(target=target, args=(queue,))
    worker.start()
    print(json.dumps(queue.get(timeout=120)))
    worker.join()
'''


def test_a_cache_hit_in_a_forked_worker_imports_only_the_hit_path(tmp_path):
    root = os.path.abspath(os.path.join(os.path.dirname(access_token.__file__), *(['..'] * 5)))
    options = dict(url='https://tpp.example.com', client_id='ansible-automation', scope='certificate:manage', username='svc-ansible',
                   password='not-sent', cache_dir=str(tmp_path / 'cache'))
    probe = subprocess.run([sys.executable, '-c', PROBE, root, json.dumps(options)], capture_output=True, text=True, check=False,
                           env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=root))
    assert probe.returncode == 0, probe.stderr
    (filled, _nothing), (token, imported) = [json.loads(line) for line in probe.stdout.splitlines()]
    assert token == filled == ['KT2EEVTIjWM/37L78dqJAg==']
    assert [name for name in imported if name.startswith(COLLECTION)] == HIT_PATH
