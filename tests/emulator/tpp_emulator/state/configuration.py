"""TPP's global OAuth settings (GetConfiguration / SetConfiguration): token lifetimes, authorization methods, JWT skew.

A set stores the whole object: a field it leaves out (or sends as null) takes its .NET type default (0, false, "",
an empty list, a nested object of defaults), never the shipped value, which is why a client must read, modify and
write back. Keys the contract does not name are dropped, as TPP's typed model would. The rest of the emulator reads
the settings through ``Store.oauth_configuration()``.
"""

import copy

DAY = 86400
INT32_MAX = 2 ** 31 - 1

# The contract's Configuration object: field -> its type, or a nested shape.
SHAPE = {
    "SessionPoolSize": int, "SessionPoolAge": int, "SessionPoolExpirationInterval": int, "SessionRightsRefreshInterval": int,
    "StrictExpiration": bool, "StatisticsApiTracking": bool, "StatisticsTrackingIncludesTime": bool,
    "OpenApiEnabled": bool, "OpenApiUi": str,
    "DefaultAccessTokenValidity": int, "DefaultGrantValidity": int, "DefaultGrantRefreshable": bool,
    "UnusedAccessTokenExpiration": int, "RefreshEndpointEnabled": bool,
    "AuthorizeByPassword": bool, "AuthorizeByCertificate": bool, "AuthorizeByIntegrated": bool, "AuthorizeByJwt": bool,
    "AuthorizeDevice": bool,
    "DeviceConfiguration": {"VerificationUri": str, "VerificationUriCompleteFormat": str},
    "CertificateConfiguration": {"AttemptSIDExtensionBeforeSourceField": bool, "SourceField": str, "AuthorizedIssuerDns": list},
    "JwtConfiguration": {
        "ClockSkew": int,
        "CacheConfiguration": {"DegreeOfParallelism": int, "RefreshDelay": int, "MinTtl": int, "MaxTtl": int, "Timeout": int,
                               "NoHttps": bool, "NoOidcIssuerCheck": bool, "AutoRefresh": int},
    },
}

TYPE_DEFAULTS = {int: 0, bool: False, str: "", list: []}
TYPE_NAMES = {int: "a whole number from 0 to %d" % INT32_MAX, bool: "true or false", str: "a string", list: "a list of strings"}


def seeded(clock_skew):
    """The settings a fresh emulator starts with: TPP's documented defaults and example values (README)."""
    return {
        "SessionPoolSize": 5000, "SessionPoolAge": 86400, "SessionPoolExpirationInterval": 300, "SessionRightsRefreshInterval": 60,
        "StrictExpiration": False, "StatisticsApiTracking": False, "StatisticsTrackingIncludesTime": False,
        "OpenApiEnabled": True, "OpenApiUi": "redoc",
        "DefaultAccessTokenValidity": 90 * DAY, "DefaultGrantValidity": 365 * DAY, "DefaultGrantRefreshable": True,
        "UnusedAccessTokenExpiration": 0, "RefreshEndpointEnabled": True,
        "AuthorizeByPassword": True, "AuthorizeByCertificate": True, "AuthorizeByIntegrated": True, "AuthorizeByJwt": True,
        "AuthorizeDevice": True,
        "DeviceConfiguration": {"VerificationUri": "/aperture/activate", "VerificationUriCompleteFormat": "/aperture/activate/{0}"},
        "CertificateConfiguration": {"AttemptSIDExtensionBeforeSourceField": False, "SourceField": "CN", "AuthorizedIssuerDns": []},
        "JwtConfiguration": {
            "ClockSkew": clock_skew,
            "CacheConfiguration": {"DegreeOfParallelism": 4, "RefreshDelay": 60, "MinTtl": 300, "MaxTtl": 86400, "Timeout": 30,
                                   "NoHttps": False, "NoOidcIssuerCheck": False, "AutoRefresh": 3600},
        },
    }


class ConfigurationError(ValueError):
    """A field of a SetConfiguration request with a value of the wrong type or range."""


def _valid(kind, value, path):
    if kind is int:
        valid = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= INT32_MAX
    elif kind is list:
        valid = isinstance(value, list) and all(isinstance(item, str) for item in value)
    else:
        valid = isinstance(value, kind)
    if not valid:
        raise ConfigurationError("%s must be %s" % (path, TYPE_NAMES[kind]))
    return list(value) if kind is list else value


def complete(source, shape=None, path="Configuration"):
    """The whole Configuration a set stores: ``source``'s fields checked, every other field its type default."""
    shape = SHAPE if shape is None else shape
    if source is None:
        source = {}
    if not isinstance(source, dict):
        raise ConfigurationError("%s must be an object" % path)
    result = {}
    for name, kind in shape.items():
        value, where = source.get(name), "%s.%s" % (path, name)
        if isinstance(kind, dict):
            result[name] = complete(value, kind, where)
        else:
            result[name] = copy.copy(TYPE_DEFAULTS[kind]) if value is None else _valid(kind, value, where)
    return result


class Configuration:
    """The current settings; ``get`` returns a copy, ``replace`` stores a whole new object."""

    def __init__(self, store, seed):
        self._store = store
        self._settings = seeded(seed.get("jwt_mapping", {}).get("clock_skew", 60))

    def get(self):
        with self._store.lock:
            return copy.deepcopy(self._settings)

    def replace(self, source):
        """Store ``source`` completed with type defaults; raises ConfigurationError for a bad field. An access token
        always expires, so DefaultAccessTokenValidity must be 1 or more (a DefaultGrantValidity of 0 is a grant that
        never expires)."""
        settings = complete(source)
        if settings["DefaultAccessTokenValidity"] < 1:
            raise ConfigurationError("Configuration.DefaultAccessTokenValidity must be a whole number from 1 to %d (an access "
                                     "token always expires)" % INT32_MAX)
        with self._store.lock:
            self._settings = settings
