"""Server-side scope grammar: ``name[:restr[,restr]][;name...]``, case-insensitive, echoed normalised."""

KNOWN_SCOPES = {
    "admin": frozenset({"delete", "recyclebin", "viewlogs"}),
    "agent": frozenset({"delete"}),
    "certificate": frozenset({"approve", "delete", "discover", "manage", "revoke"}),
    "codesign": frozenset({"approve", "delete", "manage"}),
    "codesignclient": frozenset(),
    "configuration": frozenset({"delete", "manage"}),
    "log": frozenset({"delete", "manage"}),
    "restricted": frozenset({"delete", "manage"}),
    "security": frozenset({"delete", "manage"}),
    "ssh": frozenset({"approve", "delete", "discover", "manage"}),
    "statistics": frozenset(),
}


class ScopeError(ValueError):
    """A scope string that is malformed or names an unknown scope or restriction."""


def parse(text):
    """Return ``{scope: frozenset(restrictions)}`` for a scope string, or raise ScopeError."""
    parsed = {}
    for segment in text.split(";"):
        if not segment.strip():
            continue
        name, restrictions = _parse_segment(segment)
        parsed[name] = parsed.get(name, frozenset()) | restrictions
    return parsed


def _parse_segment(segment):
    name, has_restrictions, restriction_text = segment.partition(":")
    name = name.strip().lower()
    if name not in KNOWN_SCOPES:
        raise ScopeError("Unknown scope '%s'" % segment.strip())
    if not has_restrictions:
        return name, frozenset()
    restrictions = [item.strip().lower() for item in restriction_text.split(",")]
    if not all(restrictions):
        raise ScopeError("Malformed scope '%s'" % segment.strip())
    unknown = sorted(set(restrictions) - KNOWN_SCOPES[name])
    if unknown:
        raise ScopeError("Unknown restriction '%s' for scope '%s'" % (",".join(unknown), name))
    return name, frozenset(restrictions)


def render(parsed):
    """Render a parsed scope in TPP's normal form: lower-case, sorted, de-duplicated."""
    parts = []
    for name in sorted(parsed):
        restrictions = sorted(parsed[name])
        parts.append("%s:%s" % (name, ",".join(restrictions)) if restrictions else name)
    return ";".join(parts)


def normalise(text):
    """Parse and re-render a scope string (raises ScopeError)."""
    return render(parse(text))


def excess(requested, allowed):
    """Return the part of ``requested`` that ``allowed`` does not cover (both parsed), empty when A ⊆ B."""
    beyond = {}
    for name, restrictions in requested.items():
        if name not in allowed:
            beyond[name] = restrictions
        elif not restrictions <= allowed[name]:
            beyond[name] = restrictions - allowed[name]
    return beyond


def is_subset(requested, allowed):
    """True when every scope of ``requested`` is in ``allowed`` with no extra restriction."""
    return not excess(requested, allowed)


def includes(scope_text, needed_name):
    """True when a normalised scope string carries the scope ``needed_name`` (any restriction)."""
    return needed_name in parse(scope_text)
