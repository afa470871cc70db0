# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TPP's grant-management API (``POST /vedsdk/oauth/<Name>``) with an administrator's access token: OAuthApi.

These calls answer HTTP 200 even when they fail; ``Success`` and the OAuthResult code ``Result`` say
how it went. A bearer token without the ``admin`` scope gets 403 ``insufficient_scope``, an identity
without the OAuth Admin role 401 ``insufficient_rights``. Every failure becomes one line that names
what was being done and what to fix.
"""

import re

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import Refused, ServerFailure, TppError

ADMIN_SCOPE = 'admin'
ADMIN_TOKEN_HINT = ('access_token is required: a token whose scope includes admin, of an identity with the OAuth Admin role, '
                    'from venafi_tpp.auth.token or the venafi_tpp.auth.access_token lookup')
ADMIN_ROLE_HINT = ("the identity of access_token lacks TPP's OAuth Admin role, which managing API integrations needs; "
                   "ask a TPP master administrator to give it the Admin role in Access Management, or use the token of an identity that has it")
# Which OAuth roles may call each operation (Venafi's pages on each; tpp-api.md's role table), for a refusal that says which one it needs.
_ADMIN, _READERS = "TPP's OAuth Admin role", "TPP's OAuth Admin, Grant Admin or Auditor role"
_WRITE = ' (an Auditor may only read)'
ROLE_NEEDED = dict(
    [(name, _ADMIN + _WRITE) for name in ('setconfiguration', 'createjwtmapping', 'updatejwtmapping', 'deletejwtmapping')]
    + [('createapplication', _ADMIN + ' (an Owner of an API integration may update it, but not create one; an Auditor may only read)'),
       ('updateapplication', _ADMIN + ', or the Owner or Maintainer role of this API integration' + _WRITE),
       ('getapplication', _READERS + ', or the Owner or Maintainer role of this API integration '
        '(they reach only their own integrations; only an Admin creates one)')]
    + [(name, _ADMIN + ', or the Owner role of this API integration' + _WRITE)
       for name in ('deleteapplication', 'createrule', 'updaterule', 'deleterule', 'deleterules')]
    + [(name, _ADMIN + ', or for the owner and maintainer roles of an API integration its Owner role' + _WRITE)
       for name in ('grantrole', 'revokerole')]
    + [(name, _READERS + ', or the Owner role of this API integration') for name in ('grantcount', 'usercount', 'getgrants', 'enumerategrants')]
    + [(name, _READERS + ', or the Owner or Maintainer role of an API integration') for name in ('getapplications', 'enumerateapplications')]
    + [(name, _READERS + ', or the Owner role of an API integration') for name in ('getrules', 'enumeraterules')]
    + [('revokegrants', "TPP's OAuth Admin or Grant Admin role, or the Owner role of this API integration" + _WRITE),
       ('listroles', "TPP's OAuth Admin or Auditor role, or the Owner role of an API integration")]
    + [(name, "TPP's OAuth Admin or Auditor role") for name in ('getjwtmapping', 'getjwtmappings', 'enumeratejwtmappings')])


def role_hint(operation):
    """What a refusal for lack of an OAuth role says: which roles ``operation`` (of /vedsdk/oauth/*) needs, and how to get one."""
    needed = ROLE_NEEDED.get((operation or '').lower())
    if needed is None:
        return ADMIN_ROLE_HINT
    return ('the identity of access_token lacks the OAuth role this needs: %s; ask a TPP OAuth administrator to give it one '
            '(venafi_tpp.auth.oauth_role), or use the token of an identity that holds one' % needed)


# TPP's OAuthResult codes (Venafi's OpenAPI contract) and what each means for the user.
RESULT_CODES = {
    0: ('Success', 'the call succeeded'),
    1: ('Failure', 'TPP reports a failure without a reason'),
    2: ('ApplicationNotFound', 'the API integration does not exist'),
    3: ('GrantNotFound', 'the grant does not exist'),
    4: ('RuleNotFound', 'the identity is not allowed to use the API integration (no rule)'),
    5: ('DriverError', 'TPP could not read or store the data (driver error); check the TPP server logs'),
    6: ('InvalidParameters', 'TPP rejected a parameter of the request'),
    7: ('TokenHashError', 'TPP could not hash a token; check the TPP server logs'),
    8: ('ExceptionThrown', 'TPP failed with an internal error; check the TPP server logs'),
    9: ('InsufficientPrivileges', "the identity of access_token has insufficient privileges: it needs TPP's OAuth Admin role "
                                  '(or the Application Owner role of this API integration)'),
    10: ('ObjectInvalid', 'TPP found an object invalid, for a rule: its trustee is not a known identity'),
    11: ('AccessTokenExpired', 'access_token has expired; obtain a new one'),
    12: ('AuthenticationMissing', 'the request carried no access_token'),
    13: ('AuthenticationInvalid', 'access_token is not valid; obtain a new one'),
    14: ('UnsignedCodeForbidden', 'TPP forbids unsigned code'),
    15: ('RemoteTransportFailure', 'TPP could not reach a remote service'),
    16: ('RightsAssignmentError', 'TPP could not assign the rights'),
    17: ('InvalidScope', 'TPP rejects the scope as invalid (an unknown scope or restriction for this TPP version)'),
    18: ('RemoteIdentityRequired', 'TPP requires a remote identity'),
    19: ('ApplicationAlreadyExists', 'an API integration with this client_id already exists'),
    20: ('RuleAlreadyExists', 'the identity is already allowed to use the API integration (a rule exists)'),
    21: ('JwtMappingNotFound', 'the JWT mapping does not exist'),
    22: ('JwtMappingAlreadyExists', 'the JWT mapping already exists'),
    23: ('ScopeMismatch', "a scope does not meet its constraints: a rule's scope must lie within the API integration's scope"),
}

# Result codes that say TPP failed, rather than refused the request.
SERVER_RESULTS = (5, 7, 8, 15)
# Write calls that must not be sent twice blindly: a lost answer would turn into "already exists" or "not found".
NOT_REPEATABLE = ('createapplication', 'deleteapplication', 'createrule', 'deleterule', 'revokegrants', 'grantrole', 'revokerole')
_GRANT_REJECTED = re.compile(r"Grant rejected scope '([^']*)'")


class OAuthApi:
    """The WebSDK as one administrator: the client, the access token, and the ``/vedsdk/oauth/<Name>`` call."""

    def __init__(self, client, access_token):
        self.client = client
        self.access_token = access_token

    @property
    def url(self):
        return self.client.url

    def request(self, method, path, what, needed_scope, request_scope=None, **kwargs):
        """A WebSDK request with the access token; an HTTP failure reworded for ``what`` (see explain_http_error)."""
        try:
            return self.client.vedsdk(method, path, bearer=self.access_token, **kwargs)
        except TppError as error:
            operation = path[len('oauth/'):] if path.lower().startswith('oauth/') else None
            raise explain_http_error(error, what, needed_scope, request_scope, operation) from None

    def call(self, operation, body, what, allow=()):
        """``POST /vedsdk/oauth/<operation>``: the answer's data when ``Success`` (or its Result is in ``allow``); TppError otherwise."""
        data = self.request('POST', 'oauth/' + operation, what, ADMIN_SCOPE, body=body,
                            safe_to_repeat=operation.lower() not in NOT_REPEATABLE).data
        if data.get('Success') is True:
            return data
        if 'Success' not in data and 'Result' not in data:
            raise TppError('%s: TPP answered without the Success/Result envelope of /vedsdk/oauth/%s; is url a TPP server?' % (what, operation))
        if data.get('Result') in allow:
            return data
        raise result_error(data, what, operation)


def result_error(data, what, operation=None):
    """A Refused (or for a server-side Result code, a ServerFailure) for a ``Success: false`` answer, saying what its Result means.

    For InsufficientPrivileges (9), which roles ``operation`` needs.
    """
    result = data.get('Result')
    name, meaning = RESULT_CODES.get(result, ('unknown', 'TPP reports an unknown failure'))
    if result == 9 and operation:
        meaning = role_hint(operation)
    kind = ServerFailure if result in SERVER_RESULTS else Refused
    return kind('%s: %s' % (what, meaning), error=data.get('Error') or name, success=False, result=result)


def explain_http_error(error, what, needed_scope, request_scope=None, operation=None):
    """``error`` (a TppError from the client) reworded for the grant-management and identity APIs, as a new error.

    A 403 names ``needed_scope``, and tells to request ``request_scope`` when given (a whole scope that works). A 401
    ``insufficient_rights`` names the OAuth roles that may call ``operation`` (of /vedsdk/oauth/*).
    An error without an answer from TPP keeps its own words.
    """
    if error.status == 403:
        match = _GRANT_REJECTED.search(error.error_description or error.reason or '')
        held = " (its scope is '%s')" % match.group(1) if match else ''
        advice = 'obtain a token with scope %s' % request_scope if request_scope else 'obtain a token whose scope includes %s' % needed_scope
        return error.reworded('%s: access_token lacks the %s scope%s; %s from an API integration that allows it, with venafi_tpp.auth.token '
                              'or the venafi_tpp.auth.access_token lookup' % (what, needed_scope, held, advice))
    if error.status == 401 and error.error == 'insufficient_rights':
        return error.reworded('%s: %s' % (what, role_hint(operation)))
    if error.status == 401:
        return error.reworded('%s: access_token is invalid, expired or revoked; obtain a new one' % what)
    if isinstance(error, (Refused, ServerFailure)):
        return error.reworded('%s: %s' % (what, error.message))
    return error
