"""Make the Sphinx site that `antsibull-docs sphinx-init` generated build without the network.

    python tools/docsite_offline.py DOCS_DIR

sphinx-init's conf.py lets intersphinx download the inventories of docs.python.org, the Jinja docs
and docs.ansible.com. The generated plugin and role pages link to only a few labels of the Ansible
documentation, so this writes an inventory of those labels into DOCS_DIR and points intersphinx at
it alone: the build sends no request, and the links still lead to docs.ansible.com. When a page
starts to link to another Ansible label, the build fails with "undefined label"; add the label to
ANSIBLE_LABELS.
"""

import os
import sys
import zlib

ANSIBLE_DOCS = 'https://docs.ansible.com/projects/ansible/devel/'
INVENTORY = 'ansible_devel.inv'
# label: (page and anchor under ANSIBLE_DOCS, title)
ANSIBLE_LABELS = {
    'action_plugins': ('plugins/action.html#action-plugins', 'Action plugins'),
    'ansible_collections.ansible.builtin.copy_module':
        ('collections/ansible/builtin/copy_module.html#ansible-collections-ansible-builtin-copy-module', 'ansible.builtin.copy module'),
    'ansible_configuration_settings': ('reference_appendices/config.html#ansible-configuration-settings', 'Ansible Configuration Settings'),
    'callback_plugins': ('plugins/callback.html#callback-plugins', 'Callback plugins'),
    'common_return_values': ('reference_appendices/common_return_values.html#common-return-values', 'Return Values'),
}


def inventory():
    """The labels as a Sphinx inventory (version 2)."""
    header = ('# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n'
              '# The remainder of this file is compressed using zlib.\n')
    entries = ''.join('%s std:label -1 %s %s\n' % (label, target, title) for label, (target, title) in sorted(ANSIBLE_LABELS.items()))
    return header.encode('utf-8') + zlib.compress(entries.encode('utf-8'))


def main(docs_dir):
    inventory_path = os.path.join(os.path.abspath(docs_dir), INVENTORY)
    with open(inventory_path, 'wb') as handle:
        handle.write(inventory())
    with open(os.path.join(docs_dir, 'conf.py'), 'a', encoding='utf-8') as handle:
        handle.write('\n# Added by tools/docsite_offline.py: intersphinx reads a local inventory only, so the build needs no network.\n'
                     'intersphinx_mapping = {%r: (%r, %r)}\n' % ('ansible_devel', ANSIBLE_DOCS, inventory_path))


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
