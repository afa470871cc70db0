# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Python's bytecode cache for the collection's private helpers, for a plugin that each of Ansible's workers loads.

ansible-core's collection loader compiles a module's source each time a process imports it and keeps no
bytecode, and Ansible runs each task of each host in a new fork of ansible-playbook: a lookup templated
on a thousand hosts compiled its helpers a thousand times, half of what a cached ``access_token`` call
cost. While a ``with bytecode_cached_imports():`` block runs, a finder placed before Ansible's loads the
private modules the block imports (``plugins/module_utils/_*.py``, ``plugins/plugin_utils/_*.py``) with
Python's own source loader, which keeps their bytecode in ``__pycache__`` beside the source and checks it
against the source's size and modification time, as every Python import does.

Packages, plugins and anything ``meta/runtime.yml`` redirects stay with Ansible's loader, and so does
every import after the block: the finder is removed then, so nothing else in the process finds its
imports changed. Where ``__pycache__`` cannot be written (a read-only collection directory,
``PYTHONDONTWRITEBYTECODE``) and holds no bytecode yet, Python compiles the source as Ansible would.
"""

import contextlib
import importlib.util
import os
import sys

# ansible_collections.<namespace>.<name>.plugins.
PLUGINS_PACKAGE = __name__.rpartition('.plugin_utils.')[0] + '.'
PRIVATE_PREFIXES = (PLUGINS_PACKAGE + 'module_utils._', PLUGINS_PACKAGE + 'plugin_utils._')


class BytecodeCachingFinder:
    """A meta path finder for the private helper modules only; every other import falls through to the next finder."""

    @staticmethod
    def find_spec(fullname, path=None, target=None):  # pylint: disable=unused-argument
        if not path or not fullname.startswith(PRIVATE_PREFIXES) or '.' in fullname[len(PLUGINS_PACKAGE):].partition('.')[2]:
            return None
        for directory in path:
            source = os.path.join(directory, fullname.rpartition('.')[2] + '.py')
            if os.path.isfile(source):
                return importlib.util.spec_from_file_location(fullname, source)
        return None


@contextlib.contextmanager
def bytecode_cached_imports():
    """The private helpers imported in the block, and those they import, are loaded by Python's source loader."""
    if BytecodeCachingFinder in sys.meta_path:
        yield
        return
    sys.meta_path.insert(0, BytecodeCachingFinder)
    try:
        yield
    finally:
        sys.meta_path.remove(BytecodeCachingFinder)
