# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lookup sets a worker's inherited objects aside from the cyclic garbage collector (gc.freeze), and only in a worker."""

import json
import os
import subprocess
import sys

from ansible_collections.venafi_tpp.auth.plugins.lookup import access_token

# Loads the lookup in a forked worker, as Ansible does for each host, then in the process itself; prints how many objects
# the garbage collector had set aside in each, before and after.
PROBE = '''
import gc, json, multiprocessing, sys
from ansible.plugins.loader import init_plugin_loader, lookup_loader


def load(queue):
    before = gc.get_freeze_count()
    lookup_loader.get('venafi_tpp.auth.access_token')
    queue.put([before, gc.get_freeze_count()])


init_plugin_loader([sys.argv[1]])
context = multiprocessing.get_context('fork')
queue = context.Queue()
worker = context.Process(target=load, args=(queue,))
worker.start()
print(json.dumps(queue.get(timeout=120)))
worker.join()
load_here = [gc.get_freeze_count()]
lookup_loader.get('venafi_tpp.auth.access_token')
print(json.dumps(load_here + [gc.get_freeze_count()]))
'''


def test_a_worker_that_loads_the_lookup_freezes_what_it_inherited_and_ansible_playbook_does_not():
    root = os.path.abspath(os.path.join(os.path.dirname(access_token.__file__), *(['..'] * 5)))
    probe = subprocess.run([sys.executable, '-c', PROBE, root], capture_output=True, text=True, check=False,
                           env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=root))
    assert probe.returncode == 0, probe.stderr
    (worker_before, worker_after), (parent_before, parent_after) = [json.loads(line) for line in probe.stdout.splitlines()]
    assert worker_before == 0
    # The objects ansible-playbook had when it forked are among those set aside.
    assert worker_after > 10000
    assert parent_before == parent_after == 0
