# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A JWT mapping: which issuer's JWTs ``authorize/jwt`` trusts and how a JWT names its identity. Check, read, plan, write.

``UpdateJwtMapping`` replaces the whole mapping ("If they are not set in the request, they will be defaulted"), so the
module declares the whole mapping, compares it with what TPP holds and writes it complete only when they differ.
A mapping's view has the keys of the jwt_mapping module's options, so an item of jwt_mapping_info can be fed back.
"""

import re
from urllib.parse import urlsplit

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._identities import IdentityDirectory, check_names

# Option name -> TPP's field of the mapping object (OAuthJwtMapping).
OPTION_FIELDS = (('name', 'Name'), ('issuer', 'IssuerUri'), ('jwks_uri', 'JwksUri'), ('purpose_claim', 'PurposeField'),
                 ('purpose_value', 'PurposeMatch'), ('identity_claim', 'IdField'), ('identity_match', 'IdMatch'),
                 ('identity', 'GranteePrefixedUniversal'))
OPTIONS = tuple(option for option, _field in OPTION_FIELDS)
DEFAULTS = {'purpose_claim': 'aud', 'identity_claim': 'sub'}
NOT_FOUND = 21  # JwtMappingNotFound
OBJECT_INVALID = 10  # for a mapping: its GranteePrefixedUniversal is no user
# What each option a mapping cannot do without holds, for the message when it is missing.
REQUIRED = {
    'name': 'the name of the mapping',
    'issuer': 'the issuer its JWTs name in their iss claim, for example https://token.actions.githubusercontent.com',
    'purpose_value': "the value the JWT's purpose claim (purpose_claim, aud by default) must have, such as the TPP URL followed by /vedauth",
}
# .NET's named group (?<name>...), which TPP's regular expressions know and Python's spells (?P<name>...).
_DOTNET_NAMED_GROUP = re.compile(r'\(\?<(?![=!])')


def _what(name):
    return 'the JWT mapping %s' % name


# -- checking the options, before any request -----------------------------------------------------

def check_https(value, option):
    """``value``, an https:// URL; TppError otherwise (TPP fetches keys over HTTPS only)."""
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() == 'http':
        raise TppError('%s %s uses http://; TPP fetches the issuer\'s keys over HTTPS only, use https://%s' % (option, text, text.split('://', 1)[1]))
    if parts.scheme.lower() != 'https' or not parts.hostname:
        raise TppError('%s %s is not an https:// URL, for example https://token.actions.githubusercontent.com' % (option, text))
    return text


def check_identity_match(pattern, fixed_identity):
    """TppError when ``pattern`` is not a regular expression, or has no group while no fixed identity is given."""
    try:
        compiled = re.compile(_DOTNET_NAMED_GROUP.sub('(?P<', pattern))
    except re.error as error:
        raise TppError('identity_match %r is not a valid regular expression (%s); fix it, for example ^repo:example/app:(.+)$' % (pattern, error))
    if compiled.groups < 1 and not fixed_identity:
        raise TppError('identity_match %r has no group: its first group names the identity, for example ^system:serviceaccount:ci:(.+)$; '
                       'add one, or give identity (one fixed identity) instead' % pattern)


def wanted_mapping(params):
    """The mapping that ``params`` (jwt_mapping's options, state present) declare, by option name; TppError for bad input.

    ``identity`` is still a name here: resolve it with :func:`resolve_identity`.
    """
    wanted = dict((option, params.get(option)) for option in OPTIONS)
    for option, default in DEFAULTS.items():
        wanted[option] = wanted[option] or default
    for option in ('name', 'issuer', 'purpose_value'):
        if not isinstance(wanted[option], str) or not wanted[option].strip():
            raise TppError('%s is required for a JWT mapping: %s' % (option, REQUIRED[option]))
    if bool(wanted['identity_match']) == bool(wanted['identity']):
        raise TppError('give either identity_match (a regular expression whose first group names the identity, for example ^(.+)$) '
                       'or identity (one fixed identity for every JWT of the mapping, such as local:svc-ansible), %s'
                       % ('not both' if wanted['identity'] else 'one of them'))
    wanted['issuer'] = check_https(wanted['issuer'], 'issuer')
    if wanted['jwks_uri']:
        wanted['jwks_uri'] = check_https(wanted['jwks_uri'], 'jwks_uri')
    else:
        wanted['jwks_uri'] = None
    if wanted['identity_match']:
        check_identity_match(wanted['identity_match'], wanted['identity'])
    else:
        wanted['identity'] = check_names([wanted['identity']], 'identity')[0]
        wanted['identity_match'] = None
    return wanted


# -- reading --------------------------------------------------------------------------------------

def mapping_view(record, directory):
    """A mapping as the modules return it, with the keys of jwt_mapping's options; the fixed identity by name where TPP knows it."""
    view = dict((option, record.get(field) or None) for option, field in OPTION_FIELDS)
    if view['identity']:
        known = directory.by_universal(view['identity'])
        view['identity'] = known['name'] or known['universal']
    return view


def get_mapping(api, directory, name):
    """The view of the mapping ``name``, or None when TPP has none of that name."""
    data = api.call('GetJwtMapping', {'Name': name, 'ResolveIdentities': True}, 'reading ' + _what(name), allow=(NOT_FOUND,))
    record = data.get('JwtMapping') if data.get('Success') is True else None
    if not isinstance(record, dict) or record.get('Name') != name:
        return None
    directory.learn(data.get('IdentityEntries'))
    return mapping_view(record, directory)


def read_mappings(api, name=None):
    """The views of the mapping ``name`` (none when it does not exist), or of every mapping when ``name`` is None, by name."""
    directory = IdentityDirectory(api)
    if name is not None:
        found = get_mapping(api, directory, name)
        return [found] if found else []
    data = api.call('GetJwtMappings', {'ResolveIdentities': True}, 'listing the JWT mappings')
    directory.learn(data.get('IdentityEntries'))
    records = [record for record in data.get('JwtMappings') or () if isinstance(record, dict) and record.get('Name')]
    return [mapping_view(record, directory) for record in sorted(records, key=lambda record: record['Name'])]


# -- planning and writing -------------------------------------------------------------------------

def resolve_identity(directory, wanted):
    """``wanted`` with its fixed identity resolved to TPP's view ({'name', 'universal'}) in ``universal``; the name stays in ``identity``."""
    wanted = dict(wanted)
    wanted['universal'] = None
    if wanted['identity']:
        view = directory.resolve([wanted['identity']], 'identity')[0]
        wanted['identity'], wanted['universal'] = view['name'] or view['universal'], view['universal']
    return wanted


def differs(current, wanted):
    """True when TPP's mapping ``current`` (a view) is not the ``wanted`` one; identities compare case-insensitively."""
    return any((current[option] or '').lower() != (wanted[option] or '').lower() if option == 'identity' else current[option] != wanted[option]
               for option in OPTIONS)


def plan_mapping(directory, before, wanted):
    """(``wanted`` with its identity resolved, the mapping as it is to be, whether that changes TPP's mapping ``before``, a view or None)."""
    wanted = resolve_identity(directory, wanted)
    after = dict((option, wanted[option]) for option in OPTIONS)
    return wanted, after, before is None or differs(before, after)


def write_mapping(api, wanted, exists):
    """Create the mapping, or replace it whole (UpdateJwtMapping): every field, the unset ones null."""
    record = dict((field, wanted['universal'] if option == 'identity' else wanted[option]) for option, field in OPTION_FIELDS)
    what = ('updating ' if exists else 'creating ') + _what(wanted['name'])
    try:
        if exists:
            api.call('UpdateJwtMapping', {'JwtMapping': record}, what)
        else:
            api.call('CreateJwtMapping', dict((field, value) for field, value in record.items() if value is not None), what)
    except TppError as error:
        if error.result != OBJECT_INVALID or not wanted['identity']:
            raise
        raise error.reworded('%s: TPP refuses the identity %s; a fixed identity must be a user (or service account), not a team'
                             % (what, wanted['identity'])) from None


def delete_mapping(api, name):
    """Delete the mapping; a mapping already gone is not an error."""
    api.call('DeleteJwtMapping', {'Name': name}, 'deleting ' + _what(name), allow=(NOT_FOUND,))
