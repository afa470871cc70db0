# -*- coding: utf-8 -*-
# Copyright: venafi_tpp.auth contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Durations as users write them (seconds, or ``90d``, ``12h``, ``1d12h30m``) and as TPP wants them (seconds)."""

import re

from ansible_collections.venafi_tpp.auth.plugins.module_utils._errors import TppError

UNIT_SECONDS = (('w', 604800), ('d', 86400), ('h', 3600), ('m', 60), ('s', 1))
_UNITS = dict(UNIT_SECONDS)
# Compiled by re on first use, and kept in its cache: most callers give seconds, and the lookup imports this module in every
# worker process Ansible forks.
_PART = r'(\d+)\s*([wdhms])'
_DURATION = r'(?:\d+\s*[wdhms]\s*)+'
# TPP stores validities as 64-bit seconds; anything near that is a typo, not a lifetime.
MAX_SECONDS = 100 * 365 * 86400
EXAMPLES = 'seconds such as 86400, or a duration such as 90d, 12h, 30m or 1d12h30m'


def parse_duration(value, option, zero=False):
    """Seconds (a positive int) from an int, a string of digits or a duration such as ``1d12h30m``.

    Units: ``w`` weeks, ``d`` days, ``h`` hours, ``m`` minutes, ``s`` seconds, case-insensitive, largest
    first, each at most once. ``option`` names the option in the error; ``zero`` accepts 0 too.
    """
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TppError('%s must be %s, not %r' % (option, EXAMPLES, value))
    if isinstance(value, int):
        seconds = value
    else:
        text = value.strip().lower()
        if text.isdigit():
            seconds = int(text)
        elif re.fullmatch(_DURATION, text):
            parts = re.findall(_PART, text)
            units = [part[1] for part in parts]
            order = [pair[0] for pair in UNIT_SECONDS]
            if len(set(units)) != len(units) or units != sorted(units, key=order.index):
                raise TppError('%s %r: give each unit once, largest first, for example 1d12h30m' % (option, value))
            seconds = sum(int(count) * _UNITS[unit] for count, unit in parts)
        else:
            raise TppError('%s %r is not a duration; give %s' % (option, value, EXAMPLES))
    if seconds < 0 or (seconds == 0 and not zero):
        raise TppError('%s must be %s duration, not %r; give %s' % (option, '0 or a positive' if zero else 'a positive', value, EXAMPLES))
    if seconds > MAX_SECONDS:
        raise TppError('%s %r is more than 100 years; give %s' % (option, value, EXAMPLES))
    return seconds


def format_duration(seconds):
    """``seconds`` as the largest units first, as users write durations: 2592000 is ``30d``, 131400 is ``1d12h30m``."""
    parts = []
    for unit, size in UNIT_SECONDS[1:]:
        if seconds >= size:
            parts.append('%d%s' % (seconds // size, unit))
            seconds %= size
    return ''.join(parts) or '0s'
