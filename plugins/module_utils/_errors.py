# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's one error type, TppError, and its kinds: what TPP refused, a server failure, a transport failure.

A plain TppError is bad input, found before any request. Code that must tell the kinds apart (is this
worth sending again? did TPP refuse it?) tests the type, never the status.
"""

import copy

DETAILS = ('status', 'reason', 'error', 'error_description', 'result')


class TppError(Exception):
    """An error to show the user as one line.

    ``message`` says what went wrong and what to fix. When TPP answered, ``status`` is the HTTP
    status, ``reason`` the status line's reason phrase (TPP often puts its only message there),
    ``error`` and ``error_description`` the OAuth error body, and ``success``/``result`` the
    ``Success``/``Result`` envelope of ``/vedsdk/oauth/*`` calls.
    """

    # Whether the request that failed so is worth sending again, and whether TPP cannot have acted on it.
    transient = False
    unprocessed = False

    def __init__(self, message, status=None, reason=None, error=None, error_description=None, success=None, result=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.reason = reason
        self.error = error
        self.error_description = error_description
        self.success = success
        self.result = result

    def reworded(self, message):
        """A new error of the same kind and with the same details from TPP, saying ``message``."""
        new = copy.copy(self)
        new.message = message
        new.args = (message,)
        return new

    def details(self):
        """What TPP said, by name, for a task result: status, reason, error, error_description, result (those it said)."""
        return dict((name, getattr(self, name)) for name in DETAILS if getattr(self, name) is not None)

    def __str__(self):
        details = []
        if self.status is not None:
            details.append('HTTP %s%s' % (self.status, ' %s' % self.reason if self.reason else ''))
        if self.error:
            # TPP often repeats its reason phrase as the description; say it once.
            repeated = self.error_description and self.error_description == self.reason
            details.append('%s%s' % (self.error, ': %s' % self.error_description if self.error_description and not repeated else ''))
        if self.result is not None:
            details.append('Result %s' % self.result)
        text = self.message + (' (%s)' % '; '.join(details) if details else '')
        return ' '.join(text.split())


class Refused(TppError):
    """TPP answered and said no: an HTTP 4xx other than 429, or ``Success: false``. Sending it again changes nothing."""


class ServerFailure(TppError):
    """TPP answered that it failed or is busy (HTTP 5xx or 429); it may have acted on the request, unless it said 429 or 503."""

    transient = True

    @property
    def unprocessed(self):
        return self.status in (429, 503)


class TransportFailure(TppError):
    """No answer from TPP: no connection, a TLS failure, a timeout or a dropped connection.

    ``transient``: worth sending again (not a TLS failure); ``unprocessed``: the request never reached TPP.
    """

    def __init__(self, message, transient=False, unprocessed=False):
        super().__init__(message)
        self.transient = transient
        self.unprocessed = unprocessed
