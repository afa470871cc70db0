# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TppError renders everything TPP said as one line."""

import pytest

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import Refused, ServerFailure, TppError, TransportFailure


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


# The kinds of failure, and rewording

def test_reworded_is_a_new_error_of_the_same_kind_with_the_same_details():
    error = Refused('POST x failed', status=400, reason='Bad Request', error='invalid_grant', error_description='bad')
    new = error.reworded('TPP refused the password authorization for client_id c')
    assert isinstance(new, Refused) and new is not error
    assert str(new) == 'TPP refused the password authorization for client_id c (HTTP 400 Bad Request; invalid_grant: bad)'
    assert new.details() == {'status': 400, 'reason': 'Bad Request', 'error': 'invalid_grant', 'error_description': 'bad'}
    assert (error.message, str(error.args[0])) == ('POST x failed', 'POST x failed')


def test_a_reworded_transport_failure_keeps_what_it_says_about_sending_again():
    new = TransportFailure('GET x timed out', transient=True, unprocessed=True).reworded('reading x: GET x timed out')
    assert isinstance(new, TransportFailure)
    assert (new.transient, new.unprocessed, new.message) == (True, True, 'reading x: GET x timed out')


@pytest.mark.parametrize('error, transient, unprocessed', [
    (TppError('scope is malformed'), False, False),
    (Refused('no', status=400), False, False),
    (ServerFailure('busy', status=429), True, True),
    (ServerFailure('down', status=503), True, True),
    (ServerFailure('failed', status=500), True, False),
    (TransportFailure('TLS error'), False, False),
])
def test_whether_a_failure_is_worth_sending_again(error, transient, unprocessed):
    assert (error.transient, error.unprocessed) == (transient, unprocessed)
    assert isinstance(error, TppError)
