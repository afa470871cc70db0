# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's one error type: bad input, transport failures and TPP's answers alike."""


class TppError(Exception):
    """An error to show the user as one line.

    ``message`` says what went wrong and what to fix. When TPP answered, ``status`` is the HTTP
    status, ``reason`` the status line's reason phrase (TPP often puts its only message there),
    ``error`` and ``error_description`` the OAuth error body, and ``success``/``result`` the
    ``Success``/``Result`` envelope of ``/vedsdk/oauth/*`` calls.
    """

    def __init__(self, message, status=None, reason=None, error=None, error_description=None, success=None, result=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.reason = reason
        self.error = error
        self.error_description = error_description
        self.success = success
        self.result = result

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
