# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared options are defined once, in module_utils/_options.py, and documented in the doc fragments; each is held to the other.

An option added to a spec and not to its fragment (or the other way round), a fragment entry whose type, default, choices
or aliases differ from the spec, or one that lacks its VENAFI_TPP_<NAME> / venafi_tpp_<name> / ini sources, fails here.
"""

import json
import os
import subprocess
import sys

import pytest
import yaml
from ansible import constants as C
from ansible.plugins.loader import fragment_loader, lookup_loader
from ansible.utils.plugin_docs import get_docstring

from ansible_collections.venafi_tpp.auth.plugins.doc_fragments import admin, auth, connection
from ansible_collections.venafi_tpp.auth.plugins.lookup import access_token
from ansible_collections.venafi_tpp.auth.plugins.plugin_utils import _access_token_lookup
from ansible_collections.venafi_tpp.auth.plugins.module_utils._auth import AUTH_METHODS
from ansible_collections.venafi_tpp.auth.plugins.module_utils._options import (
    ACCESS_TOKEN, AUTH, AUTH_METHOD_NAMES, CONNECTION, env_name, plugin_sources,
)
from ansible_collections.venafi_tpp.auth.plugins.modules import api_integration, api_integration_info, token, token_info

GROUPS = [(CONNECTION, connection), (AUTH, auth), (ACCESS_TOKEN, admin)]
MODULES = [token, token_info, api_integration, api_integration_info]


def fragment_options(fragment, part):
    return yaml.safe_load(getattr(fragment.ModuleDocFragment, part))['options']


def description(doc):
    return ' '.join(doc['description']) if isinstance(doc['description'], list) else doc['description']


@pytest.mark.parametrize('group, fragment', GROUPS, ids=['connection', 'auth', 'admin'])
def test_each_option_is_documented_as_it_is_defined(group, fragment):
    documented = fragment_options(fragment, 'DOCUMENTATION')
    assert sorted(documented) == sorted(group)
    for name, spec in group.items():
        doc = documented[name]
        assert (doc['type'], doc.get('default'), doc.get('choices'), doc.get('aliases')) == (
            spec['type'], spec.get('default'), spec.get('choices'), spec.get('aliases')), name
        # The modules read it there (argument_spec's fallback, or resolve() after the client JSON).
        assert 'E(%s)' % env_name(name) in description(doc), name


@pytest.mark.parametrize('group, fragment', GROUPS[:2], ids=['connection', 'auth'])
def test_each_option_has_its_plugin_sources(group, fragment):
    documented = fragment_options(fragment, 'PLUGINS')
    assert sorted(documented) == sorted(group)
    for name, spec in group.items():
        assert documented[name] == plugin_sources(name, spec), name


def test_the_lookup_documents_the_shared_options_and_its_own_with_their_sources():
    options = get_docstring(access_token.__file__, fragment_loader, collection_name='venafi_tpp.auth', plugin_type='lookup')[0]['options']
    assert sorted(options) == sorted(list(_access_token_lookup.SHARED) + list(_access_token_lookup.CACHE))
    for name, doc in options.items():
        sources = dict((key, doc[key]) for key in ('env', 'ini', 'vars') if key in doc)
        assert sources == plugin_sources(name, _access_token_lookup.SHARED.get(name, {})), name


def test_the_option_definitions_the_lookup_gives_ansible_are_those_of_its_documentation():
    documented = get_docstring(access_token.__file__, fragment_loader, collection_name='venafi_tpp.auth', plugin_type='lookup')[0]['options']
    defined = _access_token_lookup.OPTION_DEFINITIONS
    assert sorted(defined) == sorted(documented)
    for name, doc in documented.items():
        assert set(doc) <= {'description', 'type', 'default', 'choices', 'aliases', 'env', 'ini', 'vars', 'version_added',
                            'version_added_collection'}, 'a key the definitions lack: %s' % name
        assert defined[name] == dict((key, doc[key]) for key in ('type', 'default', 'choices', 'aliases', 'env', 'ini', 'vars') if key in doc), name


WORKER_PROBE = '''
import json, multiprocessing, os, sys
from ansible import constants as C
from ansible.plugins.loader import init_plugin_loader, lookup_loader

def worker(queue):
    lookup = lookup_loader.get('venafi_tpp.auth.access_token')
    lookup.set_options(var_options={'venafi_tpp_username': 'from-a-variable'}, direct={'cache': 'memory'})
    definitions = C.config.get_configuration_definitions('lookup', 'ansible_collections.venafi_tpp.auth.plugins.lookup.access_token')
    queue.put([lookup.get_option(name) for name in ('username', 'cache', 'auth_method', 'retries')]
              + [any('description' in definition for definition in definitions.values())])

if __name__ == '__main__':
    init_plugin_loader([])
    context = multiprocessing.get_context('fork')
    queue = context.Queue()
    context.Process(target=worker, args=(queue,)).start()
    print(json.dumps(queue.get(timeout=60)))
'''


def test_in_a_worker_process_the_lookup_defines_its_options_and_ansible_reads_no_documentation(tmp_path):
    """Ansible runs each host's task in a worker process, a fork of ansible-playbook, which has not loaded the lookup."""
    collections = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(access_token.__file__)))))
    script = tmp_path / 'probe.py'
    script.write_text(WORKER_PROBE)
    probe = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=False,
                           env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.dirname(collections), VENAFI_TPP_RETRIES='7'))
    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout.splitlines()[-1]) == ['from-a-variable', 'memory', 'password', 7, False]


def test_elsewhere_ansible_reads_the_documentation_so_that_ansible_config_shows_the_descriptions():
    lookup_loader.get('venafi_tpp.auth.access_token')
    assert 'description' in C.config.get_configuration_definitions('lookup', access_token.__name__)['cache']


@pytest.mark.parametrize('module', MODULES, ids=lambda module: module.__name__.rpartition('.')[2])
def test_access_token_is_documented_with_its_environment_variable(module):
    doc = get_docstring(module.__file__, fragment_loader, collection_name='venafi_tpp.auth', plugin_type='module')[0]['options']['access_token']
    assert doc['type'] == ACCESS_TOKEN['access_token']['type']
    assert 'E(%s)' % env_name('access_token') in description(doc)


def test_the_auth_method_choices_are_the_auth_methods():
    assert list(AUTH_METHOD_NAMES) == sorted(AUTH_METHODS)
