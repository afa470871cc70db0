# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The lookup's finder that lets Python keep the bytecode of the collection's private helpers, which Ansible's collection loader does not."""

import importlib.machinery
import json
import os
import shutil
import subprocess
import sys

import pytest

from ansible_collections.venafi_tpp.auth.plugins.lookup import access_token
from ansible_collections.venafi_tpp.auth.plugins.lookup.access_token import BytecodeCachingFinder, bytecode_cached_imports

PLUGINS = 'ansible_collections.venafi_tpp.auth.plugins.'
PLUGINS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(access_token.__file__)))
MODULE_UTILS_DIR = os.path.join(PLUGINS_DIR, 'module_utils')


def test_a_private_helper_gets_python_s_source_loader_which_keeps_bytecode():
    spec = BytecodeCachingFinder.find_spec(PLUGINS + 'module_utils._errors', [MODULE_UTILS_DIR])
    assert isinstance(spec.loader, importlib.machinery.SourceFileLoader)
    assert spec.origin == os.path.join(MODULE_UTILS_DIR, '_errors.py')
    assert os.path.basename(os.path.dirname(spec.cached)) == '__pycache__'


@pytest.mark.parametrize('name, path', [
    (PLUGINS + 'lookup.access_token', [os.path.join(PLUGINS_DIR, 'lookup')]),  # a plugin: Ansible's loader
    (PLUGINS + 'module_utils', [PLUGINS_DIR]),  # a package
    (PLUGINS + 'module_utils._no_such_helper', [MODULE_UTILS_DIR]),
    (PLUGINS + 'module_utils._errors', None),
    (PLUGINS + 'module_utils._errors.nested', [MODULE_UTILS_DIR]),
    ('ansible_collections.other.collection.plugins.module_utils._errors', [MODULE_UTILS_DIR]),
    ('json', None),
])
def test_anything_else_is_left_to_the_next_finder(name, path):
    assert BytecodeCachingFinder.find_spec(name, path) is None


def test_the_finder_comes_first_in_the_block_only(monkeypatch):
    ansible_finder = object()
    monkeypatch.setattr(sys, 'meta_path', [ansible_finder])
    with bytecode_cached_imports():
        assert sys.meta_path == [BytecodeCachingFinder, ansible_finder]
        with bytecode_cached_imports():
            assert sys.meta_path == [BytecodeCachingFinder, ansible_finder]
        assert sys.meta_path == [BytecodeCachingFinder, ansible_finder]
    assert sys.meta_path == [ansible_finder]
    with pytest.raises(ImportError):
        with bytecode_cached_imports():
            raise ImportError('a failed import')
    assert sys.meta_path == [ansible_finder]


WORKER_PROBE = '''
import json, os, sys
from ansible.plugins.loader import init_plugin_loader, lookup_loader

init_plugin_loader([])
finder = sys.meta_path[0]
lookup_loader.get('venafi_tpp.auth.access_token')
helpers = [module for name, module in sys.modules.items() if '.plugins.module_utils._' in name or '.plugins.plugin_utils._' in name]
helper = sys.modules['ansible_collections.venafi_tpp.auth.plugins.plugin_utils._token_cache']
print(json.dumps([sorted(set(type(module.__loader__).__name__ for module in helpers)), os.path.isfile(helper.__cached__),
                  sys.meta_path[0] is finder]))
'''


def test_a_process_that_loads_the_lookup_writes_the_helpers_bytecode_and_the_next_one_reads_it(tmp_path):
    collection = tmp_path / 'ansible_collections' / 'venafi_tpp' / 'auth'
    shutil.copytree(os.path.dirname(PLUGINS_DIR), str(collection), ignore=shutil.ignore_patterns('__pycache__', 'tests', '*.pyc'))
    script = tmp_path / 'probe.py'
    script.write_text(WORKER_PROBE)
    environment = dict((name, value) for name, value in os.environ.items() if name != 'PYTHONDONTWRITEBYTECODE')
    environment['ANSIBLE_COLLECTIONS_PATH'] = str(tmp_path)
    bytecode = []
    for _process in range(2):
        probe = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=False, env=environment)
        assert probe.returncode == 0, probe.stderr
        assert json.loads(probe.stdout.splitlines()[-1]) == [['SourceFileLoader'], True, True]
        cached = collection / 'plugins' / 'plugin_utils' / '__pycache__'
        bytecode.append(dict((path.name, path.stat().st_mtime_ns) for path in cached.iterdir()))
    assert any(name.startswith('_token_cache.') for name in bytecode[0])
    # The second process read what the first wrote; had it compiled again, it would have written it again.
    assert bytecode[1] == bytecode[0]
