# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The round-trip property: every ``<x>_info`` module returns items whose keys are the options of the module ``<x>``.

So an item read from one TPP can be given back to ``<x>`` (export and import, staging to production). The pairs are
found in plugins/modules, so a new pair is checked as soon as it exists, and an option added to ``<x>`` without its key
in ``<x>_info``'s RETURN (or the other way round) fails here. Options come from DOCUMENTATION (the module's own
options; the shared connection and token options come from doc fragments and are not part of an item), item keys from
the RETURN key that holds the items (the one with ``contains``).
"""

import importlib
import os

import pytest
import yaml

MODULES = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'plugins', 'modules')
PACKAGE = 'ansible_collections.venafi_tpp.auth.plugins.modules.'

# *_info modules whose results are not the items of their module, and why.
NOT_ITEMS = {
    'token_info': 'verifies an access token; venafi_tpp.auth.token obtains tokens, it declares nothing that could be read back',
}
# Options that say how a task applies its item, not what the item is: no info module returns them.
HOW_TO_APPLY = {
    'state': 'present or absent: an item that is read exists',
    'purge_identities': "api_integration: whether allowed_identities is the whole set",
    'revoke_grants': "api_integration: what deleting also does",
    'rename': "api_integration: whether a task may rename an existing integration",
    'definition': "api_integration: the item itself, as one document (the import)",
    'access_token_auth_method': "token_settings: how the task's own token was obtained, for its lock-out guard",
    'force': 'token_settings: switch authorization methods off despite the lock-out guard',
}
# Keys an item has that its module does not take, per module: what TPP reports or derives, never set by a task.
READ_ONLY = {
    'api_integration': {
        'minimum_scope': "TPP's own Scope of the integration; the module sets it to the scope",
        'grant_count': 'how many active grants the integration has',
        'user_count': 'how many identities hold an active grant',
    },
    'oauth_role': {
        'universal': "the identity's prefixed universal, beside its name",
    },
    'grant': {
        'universal': "the identity's prefixed universal, beside its name",
        'granted_to': 'the identity the grant was issued to',
        'scope': 'the scope the grant gives',
        'issued': 'when the grant was issued',
        'access_expires': 'when its access token expires',
        'grant_expires': 'when the grant ends',
    },
}


def _docs(name):
    module = importlib.import_module(PACKAGE + name)
    return yaml.safe_load(module.DOCUMENTATION), yaml.safe_load(module.RETURN)


def _pairs():
    names = sorted(entry[:-3] for entry in os.listdir(MODULES) if entry.endswith('_info.py'))
    return [name for name in names if name not in NOT_ITEMS]


def items_of(returned, module_returned=None):
    """(RETURN key, item keys) of the one returned value that holds items: a list of dicts or a dict, documented with ``contains``.

    An info module may document its value as the same as its module's returned value of that name (token_settings_info's
    ``settings`` is token_settings' ``settings``); then the module's ``contains`` documents the keys.
    """
    holders = [(key, value['contains']) for key, value in returned.items() if isinstance(value, dict) and value.get('contains')]
    if not holders and module_returned:
        holders = [(key, module_returned[key]['contains']) for key in returned
                   if isinstance(module_returned.get(key), dict) and module_returned[key].get('contains')]
    assert len(holders) == 1, 'expected one RETURN value with contains (the items), found %s' % [key for key, _value in holders]
    return holders[0][0], set(holders[0][1])


def test_the_pairs_are_found():
    """The discovery finds at least the pairs of 0.2.0's first modules, and every *_info module has its module."""
    assert {'api_integration_info', 'jwt_mapping_info'} <= set(_pairs())
    for info in _pairs() + sorted(NOT_ITEMS):
        assert os.path.exists(os.path.join(MODULES, info[:-len('_info')] + '.py')), '%s has no module %s' % (info, info[:-len('_info')])


def problems(module, documentation, info, info_returned, module_returned=None):
    """What breaks the round trip between ``module`` (its DOCUMENTATION, and RETURN where ``info`` refers to it) and ``info``
    (its RETURN), one line each."""
    key, item_keys = items_of(info_returned, module_returned)
    options = set(documentation.get('options') or ())
    read_only = READ_ONLY.get(module, {})
    found = []
    missing = sorted(options - set(HOW_TO_APPLY) - item_keys)
    if missing:
        found.append('options of %s that the items of %s (RETURN %s) lack: %s' % (module, info, key, ', '.join(missing)))
    extra = sorted(item_keys - options - set(read_only))
    if extra:
        found.append('keys of the items of %s (RETURN %s) that are no option of %s, nor listed as read-only here: %s'
                     % (info, key, module, ', '.join(extra)))
    stale = sorted(set(read_only) & options)
    if stale:
        found.append('listed as read-only here but options of %s: %s' % (module, ', '.join(stale)))
    return found


@pytest.mark.parametrize('info', _pairs())
def test_an_info_item_has_the_keys_of_its_modules_options(info):
    module = info[:-len('_info')]
    documentation, module_returned = _docs(module)
    assert problems(module, documentation, info, _docs(info)[1], module_returned) == []


def test_the_check_reports_an_option_without_its_key_and_a_key_without_its_option():
    documentation, _returned = _docs('jwt_mapping')
    returned = _docs('jwt_mapping_info')[1]
    assert problems('jwt_mapping', documentation, 'jwt_mapping_info', returned) == []
    documentation['options']['audience'] = {'type': 'str'}
    returned['jwt_mappings']['contains']['created'] = {'type': 'int'}
    assert problems('jwt_mapping', documentation, 'jwt_mapping_info', returned) == [
        'options of jwt_mapping that the items of jwt_mapping_info (RETURN jwt_mappings) lack: audience',
        'keys of the items of jwt_mapping_info (RETURN jwt_mappings) that are no option of jwt_mapping, nor listed as read-only here: created']


def test_the_items_are_the_one_returned_value_with_contains():
    assert items_of({'jwt_mappings': {'contains': {'name': {}}}, 'msg': {'type': 'str'}}) == ('jwt_mappings', {'name'})
    # Documented as the module's value of the same name.
    assert items_of({'settings': {'type': 'dict'}}, {'settings': {'contains': {'refresh': {}}}, 'msg': {}}) == ('settings', {'refresh'})
    with pytest.raises(AssertionError):
        items_of({'a': {'contains': {'x': {}}}, 'b': {'contains': {'y': {}}}})
