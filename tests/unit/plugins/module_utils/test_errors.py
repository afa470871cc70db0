# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TppError renders everything TPP said as one line."""

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError


def test_plain_message():
    assert str(TppError('scope is malformed')) == 'scope is malformed'


def test_http_details_and_reason_phrase():
    error = TppError('refresh failed', status=400, reason='Grant has been revoked, has expired, or the refresh token is invalid',
                     error='invalid_grant', error_description='Grant has been revoked')
    assert str(error) == ('refresh failed (HTTP 400 Grant has been revoked, has expired, or the refresh token is invalid; '
                          'invalid_grant: Grant has been revoked)')
    assert error.status == 400 and error.error == 'invalid_grant'


def test_result_code_and_single_line():
    error = TppError('could not create integration\nalready there', success=False, result=19)
    assert str(error) == 'could not create integration already there (Result 19)'
    assert error.success is False


def test_reason_phrase_repeated_as_description_is_said_once():
    phrase = 'Grant has been revoked, has expired, or the refresh token is invalid'
    error = TppError('refresh failed', status=400, reason=phrase, error='invalid_grant', error_description=phrase)
    assert str(error) == 'refresh failed (HTTP 400 %s; invalid_grant)' % phrase
