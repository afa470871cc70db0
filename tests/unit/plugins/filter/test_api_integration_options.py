# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The api_integration_options filter: api_integration's own offline checks, for the role and for plays."""

import pytest
from ansible.errors import AnsibleFilterError
from ansible.plugins.loader import filter_loader

from ansible_collections.venafi_tpp.auth.plugins.filter.api_integration_options import api_integration_options


def test_the_filter_is_found_by_its_name():
    assert filter_loader.get('venafi_tpp.auth.api_integration_options') is not None


def test_it_returns_the_options_normalised():
    options = {'name': 'Acme', 'vendor': None, 'scope': {'certificate': ['Manage', 'discover']}, 'token_validity': '1d12h30m',
               'grant_validity': 'default', 'unused_token_expiration': '2d', 'allowed_identities': ['local:jdoe', 'LOCAL:jdoe ']}
    assert api_integration_options(options) == {'name': 'Acme', 'vendor': None, 'scope': 'certificate:discover,manage', 'token_validity': 131400,
                                                'grant_validity': 'default', 'unused_token_expiration': 172800,
                                                'allowed_identities': ['local:jdoe']}


def test_null_options_are_not_checked():
    options = {'scope': None, 'token_validity': None, 'grant_validity': None, 'allowed_identities': None}
    assert api_integration_options(options) == options


@pytest.mark.parametrize('options, prefix, message', [
    ({'scope': 'certificate:mange'}, '', "unknown restriction 'mange' for scope 'certificate'"),
    ({'scope': 'certificate:mange'}, 'integration_bootstrap_', "integration_bootstrap_scope: unknown restriction 'mange' for scope 'certificate'"),
    ({'token_validity': '3y'}, 'integration_bootstrap_', "integration_bootstrap_token_validity '3y' is not a duration"),
    ({'unused_token_expiration': '2x'}, 'integration_bootstrap_', "integration_bootstrap_unused_token_expiration '2x' is not a duration"),
    ({'token_validity': '2d', 'grant_validity': 86400}, '', 'token_validity 2d is longer than grant_validity 1d: a token cannot outlive its grant'),
    ({'allowed_identities': ['jdoe']}, '', "allowed_identities: 'jdoe' has no identity provider prefix"),
])
def test_bad_options_fail_with_the_modules_one_line_message(options, prefix, message):
    with pytest.raises(AnsibleFilterError) as caught:
        api_integration_options(options, prefix)
    assert str(caught.value).startswith(message)
    assert '\n' not in str(caught.value)


def test_it_takes_a_mapping():
    with pytest.raises(AnsibleFilterError, match='takes a mapping of api_integration options, not list'):
        api_integration_options(['scope'])
