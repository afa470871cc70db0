# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TPP's global token settings (``oauth/GetConfiguration`` and ``SetConfiguration``) in the token_settings module's option form.

``SetConfiguration`` stores the whole object it is given: a field left out takes its type default (for example
``AuthorizeByPassword`` false), not the value it had. So a change is read-modify-write: the object as read, every key
kept (those the collection does not know too), with only the fields of the options a task names changed.
"""

import copy

from ansible_collections.venafi_tpp.auth.plugins.module_utils._durations import parse_duration
from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError

# Option -> the field of the Configuration object (a path into it).
FIELDS = (
    ('token_validity', ('DefaultAccessTokenValidity',)),
    ('grant_validity', ('DefaultGrantValidity',)),
    ('refresh', ('DefaultGrantRefreshable',)),
    ('unused_token_expiration', ('UnusedAccessTokenExpiration',)),
    ('certificate_source_field', ('CertificateConfiguration', 'SourceField')),
    ('certificate_issuers', ('CertificateConfiguration', 'AuthorizedIssuerDns')),
    ('jwt_clock_skew', ('JwtConfiguration', 'ClockSkew')),
)
# Authorization method -> its switch, in the order TPP's console lists them.
METHODS = (('password', 'AuthorizeByPassword'), ('integrated', 'AuthorizeByIntegrated'), ('certificate', 'AuthorizeByCertificate'),
           ('jwt', 'AuthorizeByJwt'), ('device', 'AuthorizeDevice'))
METHOD_NAMES = tuple(name for name, _switch in METHODS)
# certificate_source_field -> CertificateConfiguration.SourceField.
SOURCE_FIELDS = (('cn', 'CN'), ('san_upn', 'SAN:UPN'), ('san_email', 'SAN:EMAIL'))
# Durations that may be 0: grants that never expire, no limit, no drift allowed.
ZERO_ALLOWED = ('grant_validity', 'unused_token_expiration', 'jwt_clock_skew')
OPTIONS = tuple(option for option, _path in FIELDS) + ('auth_methods',)


def read_configuration(api):
    """The Configuration object as TPP holds it."""
    configuration = api.call('GetConfiguration', {}, "reading TPP's token settings").get('Configuration')
    if not isinstance(configuration, dict):
        raise TppError("reading TPP's token settings: GetConfiguration answered without a Configuration object; is url a TPP server?")
    return configuration


def _get(configuration, path):
    for key in path:
        configuration = configuration.get(key) if isinstance(configuration, dict) else None
    return configuration


def _source_field(value):
    for option, field in SOURCE_FIELDS:
        if (value or '').upper() == field:
            return option
    return value


def settings_view(configuration):
    """The settings in the option form: every option of token_settings, seconds for durations, the enabled auth_methods."""
    view = dict((option, _get(configuration, path)) for option, path in FIELDS)
    view['certificate_source_field'] = _source_field(view['certificate_source_field'])
    view['certificate_issuers'] = list(view['certificate_issuers'] or [])
    view['auth_methods'] = [name for name, switch in METHODS if configuration.get(switch) is True]
    return view


def wanted_settings(params):
    """The settings ``params`` name, checked and normalised before any request (None: keep TPP's value)."""
    wanted = dict((option, params.get(option)) for option in OPTIONS)
    for option in ('token_validity', 'grant_validity', 'unused_token_expiration', 'jwt_clock_skew'):
        if wanted[option] is not None:
            wanted[option] = parse_duration(wanted[option], option, zero=option in ZERO_ALLOWED)
    if wanted['auth_methods'] is not None:
        methods = [str(method).strip().lower() for method in wanted['auth_methods']]
        unknown = [method for method in methods if method not in METHOD_NAMES]
        if unknown:
            raise TppError('auth_methods: unknown authorization method %s; give the methods to keep enabled among %s'
                           % (', '.join(repr(method) for method in unknown), ', '.join(METHOD_NAMES)))
        if not methods:
            raise TppError('auth_methods must not be empty: switching off every authorization method would lock everyone out of TPP; '
                           'list the methods to keep enabled among %s' % ', '.join(METHOD_NAMES))
        wanted['auth_methods'] = [name for name in METHOD_NAMES if name in methods]
    return wanted


def desired_configuration(current, wanted):
    """``current`` (the object as read, deep-copied) with the ``wanted`` settings changed, every other key kept."""
    desired = copy.deepcopy(current)
    for option, path in FIELDS:
        value = wanted.get(option)
        if value is None:
            continue
        if option == 'certificate_source_field':
            value = dict(SOURCE_FIELDS)[value]
        parent = desired
        for key in path[:-1]:
            if not isinstance(parent.get(key), dict):
                parent[key] = {}
            parent = parent[key]
        parent[path[-1]] = list(value) if isinstance(value, list) else value
    if wanted.get('auth_methods') is not None:
        for name, switch in METHODS:
            desired[switch] = name in wanted['auth_methods']
    return desired


def check_lockout(before, after, token_method, force):
    """TppError when the change would switch off the method ``access_token`` was obtained with, or when that is unknown.

    ``before`` and ``after`` are the enabled methods; ``token_method`` is access_token_auth_method (None: not given).
    ``force`` lets both through; switching off every method never passes (wanted_settings refuses it).
    """
    switched_off = [method for method in before if method not in after]
    if not switched_off or force:
        return
    names = ', '.join(switched_off)
    if token_method is None:
        raise TppError('this would switch off %s sign-in, and the module cannot tell whether access_token was obtained that way (TPP does '
                       'not say): give access_token_auth_method, how access_token was obtained (the auth_method of venafi_tpp.auth.token\'s '
                       'result), or force: true to switch it off anyway' % names)
    if token_method in switched_off:
        raise TppError('this would switch off %s sign-in, with which access_token was obtained: once its grant ends, this automation could '
                       'no longer sign in to TPP. Sign in with a method that stays enabled first, or set force: true if another way in is '
                       'ready' % token_method)
