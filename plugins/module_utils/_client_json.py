# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The client JSON an integration hands to its users, ``{"client_id", "scope", "url"}`` (never a secret).

Where it stands among the sources of those options is _options.resolve()'s business.
"""

import json
import os

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError


def load_client_json(value):
    """The client JSON from a mapping, a JSON text or a path to a file holding one."""
    if isinstance(value, dict):
        data, origin = value, 'client_json'
    elif isinstance(value, str) and value.strip().startswith('{'):
        data, origin = _parse(value, 'client_json'), 'client_json'
    elif isinstance(value, str) and value.strip():
        origin = 'client_json file %s' % value
        try:
            with open(os.path.expanduser(value), encoding='utf-8') as handle:
                text = handle.read()
        except UnicodeDecodeError as error:
            raise TppError('client_json file %s is not UTF-8 text (byte %d is 0x%02x); save it as UTF-8 JSON'
                           % (value, error.start, error.object[error.start]))
        except OSError as error:
            raise TppError('cannot read client_json file %s: %s; give a readable file or the JSON itself' % (value, error.strerror or error))
        data = _parse(text, origin)
    else:
        raise TppError('client_json must be a path to a client JSON file or its content, {"client_id": ..., "scope": ..., "url": ...}')
    if not isinstance(data, dict):
        raise TppError('%s must hold a JSON object with client_id, scope and url' % origin)
    if not isinstance(data.get('client_id'), str) or not data['client_id']:
        raise TppError('%s has no client_id; a client JSON holds {"client_id": ..., "scope": ..., "url": ...}' % origin)
    for key in ('scope', 'url'):
        if data.get(key) is not None and not isinstance(data[key], (str, list, dict) if key == 'scope' else str):
            raise TppError('%s: %s has the wrong type (%s)' % (origin, key, type(data[key]).__name__))
    return {'client_id': data['client_id'], 'scope': data.get('scope'), 'url': data.get('url')}


def relative_path(value):
    """True when ``value`` is a relative path to a client JSON file: the controller looks for it, as for copy's src."""
    return isinstance(value, str) and bool(value.strip()) and not value.strip().startswith(('{', '/', '~'))


def not_found(path, option='client_json'):
    """The error for a relative path of ``option`` (a client_json or another document) that is not in the task's search path."""
    return TppError('cannot find %s file %s: a relative path is looked for on the controller, in the files/ directory and the '
                    'directory of the role and of the playbook; put it there, or give an absolute path' % (option, path))


def _parse(text, origin):
    try:
        return json.loads(text)
    except ValueError as error:
        raise TppError('%s is not valid JSON (%s); it should look like {"client_id": ..., "scope": ..., "url": ...}' % (origin, error))
