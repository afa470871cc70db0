# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The imports among plugins/, read from the source (imports inside functions too): no cycle, and module_utils stands alone."""

import ast
import os

import pytest

PLUGINS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))), 'plugins')
PACKAGE = 'ansible_collections.venafi_tpp.auth.plugins.'


def plugin_files():
    for directory, _subdirectories, files in os.walk(PLUGINS):
        for name in files:
            if name.endswith('.py'):
                yield os.path.join(directory, name)


def name_of(path):
    return os.path.relpath(path, PLUGINS)[:-len('.py')].replace(os.sep, '.')


def imports_of(path):
    """The plugins/ modules that the file at ``path`` imports, by their names below plugins/."""
    with open(path, encoding='utf-8') as handle:
        tree = ast.parse(handle.read(), path)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PACKAGE):
            module = node.module[len(PACKAGE):]
            # "from ...plugins.module_utils import _auth" imports a module; "from ..._auth import x" a name of one.
            found.update('%s.%s' % (module, alias.name) if '.' not in module else module for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name[len(PACKAGE):] for alias in node.names if alias.name.startswith(PACKAGE))
    return found


GRAPH = dict((name_of(path), imports_of(path)) for path in plugin_files())


def cycles(graph):
    """Every import cycle in ``graph`` (name -> names it imports), each as the list of names around it."""
    found, state = [], {}

    def visit(name, path):
        state[name] = 'open'
        for imported in sorted(graph.get(name, ())):
            if state.get(imported) == 'open':
                found.append(path[path.index(imported):] + [imported])
            elif imported not in state:
                visit(imported, path + [imported])
        state[name] = 'done'

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return found


def test_the_graph_is_read_from_the_plugins():
    assert 'module_utils._client' in GRAPH['module_utils._module']
    assert 'plugin_utils._tpp_backend' in GRAPH['plugin_utils._token_cache'], 'an import inside a function counts too'
    assert all(imported in GRAPH for imports in GRAPH.values() for imported in imports), 'every imported name is a file of plugins/'


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({'a': {'b'}, 'b': {'c'}, 'c': {'a'}, 'd': {'a'}}) == [['a', 'b', 'c', 'a']]


def test_no_import_cycle_among_the_plugins():
    assert cycles(GRAPH) == []


@pytest.mark.parametrize('name', sorted(name for name in GRAPH if name.startswith('module_utils.')))
def test_module_utils_import_only_module_utils(name):
    # They run on the managed host inside the module's package, where plugin_utils and the other plugins are not.
    assert all(imported.startswith('module_utils.') for imported in GRAPH[name])
