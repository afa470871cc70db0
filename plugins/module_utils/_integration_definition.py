# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""api_integration's ``definition``, the wizard's Import: an integration described in one JSON or YAML document.

The document is an item that api_integration_info exported (its keys are api_integration's options), or the JSON a vendor
or developer hands out with ``client_id``, ``scope`` and the other fields. Its values fill the options the task leaves
unset; keys that are no option are refused, except the read-only ones of an exported item and a client JSON's ``url``.
"""

import json
import os

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError

try:
    import yaml
    YAML_ERRORS = (ValueError, yaml.YAMLError)
except ImportError:  # the module then reads JSON only
    yaml = None
    YAML_ERRORS = (ValueError,)

# The options a definition may give: what the integration is, never how the task applies it.
DEFINITION_OPTIONS = ('name', 'client_id', 'vendor', 'description', 'info_url', 'scope', 'token_validity', 'grant_validity',
                      'refresh', 'unused_token_expiration', 'allowed_identities')
# Accepted and ignored: what TPP reports of an exported integration, and the TPP server of a client JSON (the task's url decides).
IGNORED_KEYS = ('minimum_scope', 'grant_count', 'user_count', 'url')
# The types a definition's values may have, where not a string; the module's own checks (scope, durations) come after.
TYPES = {'scope': (str, list, dict), 'token_validity': (str, int), 'grant_validity': (str, int), 'unused_token_expiration': (str, int),
         'refresh': bool, 'allowed_identities': list}
TYPE_NAMES = {'scope': 'a string, a list or a mapping', 'token_validity': 'seconds or a duration', 'grant_validity': 'seconds or a duration',
              'unused_token_expiration': 'seconds or a duration', 'refresh': 'true or false', 'allowed_identities': 'a list'}


def definition_path(value):
    """The path that ``value`` names, or None when it is a document itself (a mapping, or text of several lines or starting with { or [)."""
    if isinstance(value, str) and value.strip() and '\n' not in value.strip() and not value.strip().startswith(('{', '[')):
        return value.strip()
    return None


def load_definition(value):
    """The definition's mapping, from a mapping, a JSON or YAML text, or the path of a file holding one; TppError otherwise."""
    path = definition_path(value)
    origin = 'definition file %s' % path if path else 'definition'
    if path:
        try:
            with open(os.path.expanduser(path), encoding='utf-8') as handle:
                value = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise TppError('cannot read definition file %s: %s; give a readable UTF-8 file, or the document itself'
                           % (path, getattr(error, 'strerror', None) or error))
    if isinstance(value, str):
        try:
            value = yaml.safe_load(value) if yaml else json.loads(value)
        except YAML_ERRORS as error:
            raise TppError('%s is not valid %s (%s)' % (origin, 'JSON or YAML' if yaml else 'JSON', ' '.join(str(error).split())))
    if not isinstance(value, dict):
        raise TppError('%s must be a mapping of the integration\'s fields, such as an item of venafi_tpp.auth.api_integration_info '
                       'or {"client_id": ..., "scope": ...}; got %s' % (origin, type(value).__name__))
    unknown = sorted(str(key) for key in value if key not in DEFINITION_OPTIONS + IGNORED_KEYS)
    if unknown:
        raise TppError('%s has unknown keys: %s; known are %s (and, ignored, %s)'
                       % (origin, ', '.join(unknown), ', '.join(DEFINITION_OPTIONS), ', '.join(IGNORED_KEYS)))
    for key in DEFINITION_OPTIONS:
        if value.get(key) is not None and not isinstance(value[key], TYPES.get(key, str)):
            raise TppError('%s: %s must be %s, not %s' % (origin, key, TYPE_NAMES.get(key, 'a string'), type(value[key]).__name__))
    return dict((key, value[key]) for key in DEFINITION_OPTIONS if key in value)


def _identity_names(identities):
    """allowed_identities of a definition: names, or the entries of an exported item ({name, universal, ...}) by name or universal."""
    if not isinstance(identities, list):
        return identities
    return [entry.get('name') or entry.get('universal') if isinstance(entry, dict) else entry for entry in identities]


def with_definition(params):
    """``params`` (api_integration's) with the options that the definition gives and the task leaves unset (None) filled in."""
    if params.get('definition') is None:
        return params
    merged = dict(params)
    for option, value in load_definition(params['definition']).items():
        if merged.get(option) is None:
            merged[option] = _identity_names(value) if option == 'allowed_identities' else value
    return merged
