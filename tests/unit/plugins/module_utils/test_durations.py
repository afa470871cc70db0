# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Durations: seconds or the wizard's days/hours/minutes, to seconds; clear errors otherwise."""

import pytest

from ansible_collections.venafi_tpp.auth.plugins.module_utils._durations import format_duration, parse_duration
from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError


@pytest.mark.parametrize('value, seconds', [
    (86400, 86400),
    (1, 1),
    ('3600', 3600),
    (' 3600 ', 3600),
    ('90d', 7776000),
    ('12h', 43200),
    ('30m', 1800),
    ('45s', 45),
    ('2w', 1209600),
    ('1d12h30m', 131400),
    ('1d 12h 30m', 131400),
    ('1D12H30M', 131400),
    ('1w1d1h1m1s', 694861),
    ('0d1h', 3600),
    ('720h', 2592000),
])
def test_parse_duration(value, seconds):
    assert parse_duration(value, 'token_validity') == seconds


@pytest.mark.parametrize('value, message', [
    ('90 days', "token_validity '90 days' is not a duration; give seconds such as 86400, or a duration such as 90d, 12h, 30m or 1d12h30m"),
    ('', "token_validity '' is not a duration"),
    ('1.5d', "token_validity '1.5d' is not a duration"),
    ('d', "token_validity 'd' is not a duration"),
    ('-5', "token_validity '-5' is not a duration"),
    ('1y', "token_validity '1y' is not a duration"),
    ('30m1d', "token_validity '30m1d': give each unit once, largest first, for example 1d12h30m"),
    ('1d1d', "token_validity '1d1d': give each unit once, largest first"),
    (0, 'token_validity must be a positive duration, not 0'),
    ('0', "token_validity must be a positive duration, not '0'"),
    ('0d0h', "token_validity must be a positive duration, not '0d0h'"),
    (-1, 'token_validity must be a positive duration, not -1'),
    (True, 'token_validity must be seconds such as 86400, or a duration such as 90d, 12h, 30m or 1d12h30m, not True'),
    (1.5, 'token_validity must be seconds'),
    (['1d'], 'token_validity must be seconds'),
    ('36600d', "token_validity '36600d' is more than 100 years"),
])
def test_parse_duration_errors(value, message):
    with pytest.raises(TppError) as caught:
        parse_duration(value, 'token_validity')
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize('value', [0, '0', '0s', '0d0h'])
def test_zero_when_allowed(value):
    assert parse_duration(value, 'min_validity', zero=True) == 0


@pytest.mark.parametrize('value, message', [
    (-60, 'min_validity must be 0 or a positive duration, not -60; give seconds such as 86400'),
    ('-60', "min_validity '-60' is not a duration"),
    ('1y', "min_validity '1y' is not a duration"),
])
def test_zero_allowed_still_refuses_the_rest(value, message):
    with pytest.raises(TppError) as caught:
        parse_duration(value, 'min_validity', zero=True)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize('seconds, text', [
    (0, '0s'), (45, '45s'), (3600, '1h'), (86400, '1d'), (2592000, '30d'), (131400, '1d12h30m'), (694861, '8d1h1m1s'),
])
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text
    assert parse_duration(text, 'x', zero=True) == seconds
