# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A TPP that holds API integrations, rules, JWT mappings, OAuth roles and identities, and answers the modules' reads.

``tpp.held(kind)`` is what the kind's ``*_info`` module returns, and ``tpp.module_outcome(kind, item)`` whether the kind's module,
given the item, changes something, fails or leaves TPP as it is, both by running the modules' main() in check mode against it. A write fails the test.
"""

import copy

import pytest

from ansible_collections.venafi_tpp.auth.plugins.module_utils._client import Reply
from ansible_collections.venafi_tpp.auth.plugins.module_utils._module import TppModule
from ansible_collections.venafi_tpp.auth.plugins.modules import (
    api_integration, api_integration_info, jwt_mapping, jwt_mapping_info, oauth_role, oauth_role_info)

from ..conftest import JDOE, SCOPE, SVC, TPP_URL

TEAM = 'local:{0c1f7c1e-3b7a-4a57-9d6e-2f2b8c0b9a11}'
GONE = 'local:{7d2c0a4e-55e1-4d3a-9a51-0c2b7d1e9f00}'  # a trustee TPP no longer knows
IDENTITIES = {'local:svc-ansible': SVC, 'local:jdoe': JDOE, 'local:ci-team': TEAM}
MODULES = {'integrations': (api_integration, api_integration_info), 'jwt_mappings': (jwt_mapping, jwt_mapping_info),
           'roles': (oauth_role, oauth_role_info)}


def application(client_id='acme', **fields):
    """An application as TPP holds it."""
    record = {'ID': client_id, 'Name': client_id.capitalize(), 'Description': 'automation', 'Vendor': 'Acme', 'Url': '',
              'Scope': SCOPE, 'MaximumScope': SCOPE, 'AccessValidity': None, 'GrantValidity': None, 'Renewable': None,
              'UnusedExpiration': None, 'GrantCount': 0, 'UserCount': 0}
    record.update(fields)
    return record


def rule(trustee, client_id='acme', scope=SCOPE, **fields):
    record = {'ApplicationId': client_id, 'TrusteePrefixedUniversal': trustee, 'Description': 'by hand', 'MaximumScope': scope,
              'AccessValidity': None, 'GrantValidity': None, 'Renewable': None}
    record.update(fields)
    return record


def mapping(name='ci', **fields):
    record = {'Name': name, 'IssuerUri': 'https://idp.example.com', 'JwksUri': None, 'PurposeField': 'aud',
              'PurposeMatch': TPP_URL + '/vedauth', 'IdField': 'sub', 'IdMatch': '^(.+)$', 'GranteePrefixedUniversal': None}
    record.update(fields)
    return record


class FakeTpp:
    """The reads of the integration, JWT mapping and OAuth role modules, answered from the records it holds."""

    url = TPP_URL

    def __init__(self, applications=(), rules=(), mappings=(), roles=()):
        self.applications = [copy.deepcopy(app) for app in applications]
        self.rules = [copy.deepcopy(record) for record in rules]
        self.mappings = [copy.deepcopy(record) for record in mappings]
        self.roles = [{'Grantee': grantee, 'Role': code, 'ApplicationId': client_id} for grantee, code, client_id in roles]

    @staticmethod
    def _entries(universals):
        names = dict((universal, name) for name, universal in IDENTITIES.items())
        return [{'PrefixedName': names[universal], 'PrefixedUniversal': universal} for universal in universals if universal in names]

    def call(self, operation, body, what, allow=()):  # pylint: disable=unused-argument
        if operation == 'GetApplication':
            found = [app for app in self.applications if app['ID'] == body['ApplicationId']]
            return {'Success': True, 'Applications': found} if found else {'Success': False, 'Result': 2}
        if operation == 'GetApplications':
            return {'Success': True, 'Applications': self.applications}
        if operation == 'GetRules':
            found = [record for record in self.rules if body.get('ApplicationId') in (None, record['ApplicationId'])]
            return {'Success': True, 'Rules': found, 'IdentityEntries': self._entries(record['TrusteePrefixedUniversal'] for record in found)}
        if operation in ('GetJwtMapping', 'GetJwtMappings'):
            found = [record for record in self.mappings if body.get('Name') in (None, record['Name'])]
            entries = self._entries(record['GranteePrefixedUniversal'] for record in found)
            if operation == 'GetJwtMappings':
                return {'Success': True, 'JwtMappings': found, 'IdentityEntries': entries}
            return {'Success': True, 'JwtMapping': found[0], 'IdentityEntries': entries} if found else {'Success': False, 'Result': 21}
        if operation == 'ListRoles':
            return {'Success': True, 'Roles': self.roles}
        raise AssertionError('the module sent %s: a write, or a read this fake does not know' % operation)

    def request(self, method, path, what, needed_scope, request_scope=None, **kwargs):  # pylint: disable=unused-argument
        assert (method, path) == ('POST', 'identity/validate'), (method, path)
        asked = kwargs['body']['ID']
        for name, universal in IDENTITIES.items():
            if asked.get('PrefixedName', '').lower() == name or asked.get('PrefixedUniversal', '').lower() == universal.lower():
                return Reply(200, 'OK', {'ID': {'PrefixedName': name, 'PrefixedUniversal': universal}})
        return Reply(400, 'Bad Request', {'Error': 'unknown identity'})


@pytest.fixture
def fake_tpp(run_module, monkeypatch):
    """Factory of a FakeTpp that the modules reach; its ``held`` and ``module_outcome`` run them in check mode."""

    def factory(**records):
        tpp = FakeTpp(**records)
        monkeypatch.setattr(TppModule, 'admin', lambda module: tpp)

        def held(kind):
            result = run_module(MODULES[kind][1], {'access_token': 'admin-token'}, check_mode=True)
            assert not result.get('failed'), result
            return result[kind]

        def module_outcome(kind, item):
            """What the module does given ``item``: changed (check mode: would change TPP), failed or same."""
            result = run_module(MODULES[kind][0], dict(item, access_token='admin-token'), check_mode=True)
            return 'failed' if result.get('failed') else 'changed' if result['changed'] else 'same'

        tpp.held, tpp.module_outcome = held, module_outcome
        return tpp

    return factory
