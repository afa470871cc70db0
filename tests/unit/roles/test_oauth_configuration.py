# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The oauth_configuration role names the options of the modules it drives in three places: the keys an item may have
(vars/main.yml), the arguments of the tasks that apply an item (tasks/apply.yml) and the variables' documentation
(meta/argument_specs.yml). Each is held here to the module's own options, so that an option added to a module and not to
the role (or the other way round) fails."""

import importlib
import os
import re

import pytest
import yaml

ROLE = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'roles', 'oauth_configuration')
MODULES = 'ansible_collections.venafi_tpp.auth.plugins.modules.'
# Each declaration variable, the module that applies its items, and that module's options an item cannot have.
DECLARATION = {
    'oauth_configuration_token_settings': ('token_settings', set()),
    # definition is the whole item as one document: the role hands the item's keys one by one.
    'oauth_configuration_integrations': ('api_integration', {'definition'}),
    'oauth_configuration_jwt_mappings': ('jwt_mapping', set()),
    'oauth_configuration_roles': ('oauth_role', set()),
}


def role_file(*path):
    with open(os.path.join(ROLE, *path), encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def item_options(module):
    """The module's own options (its DOCUMENTATION's, not the connection and token ones of its doc fragments)."""
    return set(yaml.safe_load(importlib.import_module(MODULES + module).DOCUMENTATION)['options'])


@pytest.mark.parametrize('variable', sorted(DECLARATION))
def test_an_item_may_have_the_options_of_its_module(variable):
    module, not_items = DECLARATION[variable]
    assert set(role_file('vars', 'main.yml')['__oauth_configuration_keys'][variable]) == item_options(module) - not_items


@pytest.mark.parametrize('variable', sorted(DECLARATION))
def test_apply_hands_the_module_every_key_an_item_may_have(variable):
    module, not_items = DECLARATION[variable]
    tasks = [task for task in role_file('tasks', 'apply.yml') if 'venafi_tpp.auth.' + module in task]
    assert len(tasks) == 1
    assert set(tasks[0]['venafi_tpp.auth.' + module]) - {'access_token'} == item_options(module) - not_items


@pytest.mark.parametrize('variable', sorted(DECLARATION))
def test_the_documentation_names_every_key_an_item_may_have(variable):
    module, not_items = DECLARATION[variable]
    description = ' '.join(role_file('meta', 'argument_specs.yml')['argument_specs']['main']['options'][variable]['description'])
    assert set(re.findall(r'C\((\w+)\)', description)) >= item_options(module) - not_items
