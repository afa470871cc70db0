# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The scope model: the three input forms, normalisation, validation messages, subset test."""

import pytest

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError
from ansible_collections.venafi_tpp.auth.plugins.module_utils._scopes import SCOPE_MAP, Scope, normalize_scope


@pytest.mark.parametrize('value, expected', [
    ('certificate:manage', 'certificate:manage'),
    ('Certificate:Manage,Discover', 'certificate:discover,manage'),
    ('ssh:manage,delete,discover,approve', 'ssh:approve,delete,discover,manage'),
    ('certificate:manage,revoke;', 'certificate:manage,revoke'),
    ('ssh;certificate:discover,manage; configuration:manage', 'certificate:discover,manage;configuration:manage;ssh'),
    ('Certificate:discover,manage,delete', 'certificate:delete,discover,manage'),
    ('certificate:manage;certificate:discover,manage', 'certificate:discover,manage'),
    ('statistics', 'statistics'),
    ('', ''),
    (None, ''),
    (['certificate:manage', 'SSH'], 'certificate:manage;ssh'),
    (['certificate:manage;ssh:approve'], 'certificate:manage;ssh:approve'),
    ({'certificate': ['discover', 'manage'], 'ssh': []}, 'certificate:discover,manage;ssh'),
    ({'Configuration': 'manage,delete', 'statistics': None}, 'configuration:delete,manage;statistics'),
])
def test_every_input_form_normalises_to_tpps_form(value, expected):
    assert normalize_scope(value) == expected


def test_normal_form_round_trips():
    text = normalize_scope('security:manage,delete;admin:viewlogs;log:manage')
    assert text == 'admin:viewlogs;log:manage;security:delete,manage'
    assert normalize_scope(text) == text
    assert Scope.parse(text) == Scope.parse(Scope.parse(text).as_dict())


@pytest.mark.parametrize('value, message', [
    ('certficate:manage', "unknown scope 'certficate'; allowed scopes: admin, agent, certificate"),
    ('certificate:mange', "unknown restriction 'mange' for scope 'certificate'; allowed: approve, delete, discover, manage, revoke"),
    ('statistics:manage', "scope 'statistics' takes no restrictions"),
    ('certificate:', "malformed scope 'certificate:': empty restriction"),
    ('certificate:manage,,discover', 'empty restriction'),
    (':manage', 'a scope name is missing'),
    ({'certificate': 'mange'}, "unknown restriction 'mange'"),
    ({'certificate': 5}, "restrictions of scope 'certificate' must be a list of strings"),
    (['certificate', 3], 'scope list items must be strings'),
    (42, 'scope must be a string, a list of strings or a mapping'),
])
def test_bad_scopes_are_refused_naming_the_bad_part(value, message):
    with pytest.raises(TppError) as raised:
        Scope.parse(value)
    assert message in str(raised.value)
    assert '\n' not in str(raised.value)


def test_subset_and_difference():
    maximum = Scope.parse('certificate:discover,manage;ssh')
    assert Scope.parse('certificate:manage').issubset(maximum)
    assert Scope.parse('ssh;certificate').issubset(maximum)
    assert Scope.parse('').issubset(maximum)
    assert not Scope.parse('certificate:revoke').issubset(maximum)
    assert not Scope.parse('ssh:manage').issubset(maximum)
    assert not Scope.parse('admin').issubset(maximum)
    assert str(Scope.parse('certificate:manage,revoke;admin').difference(maximum)) == 'admin;certificate:revoke'
    assert not Scope.parse('certificate:manage').difference(maximum)


def test_scope_map_lists_restrictions_sorted_and_known_names():
    assert set(SCOPE_MAP) >= {'admin', 'certificate', 'configuration', 'ssh', 'log', 'statistics'}
    for restrictions in SCOPE_MAP.values():
        assert list(restrictions) == sorted(restrictions)


def test_scopes_are_values():
    assert Scope.parse('ssh;certificate') == Scope.parse(['certificate', 'ssh'])
    assert len({Scope.parse('ssh;certificate'), Scope.parse('CERTIFICATE;ssh')}) == 1
    assert repr(Scope.parse('ssh')) == "Scope('ssh')"
