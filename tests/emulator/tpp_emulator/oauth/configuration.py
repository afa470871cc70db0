"""TPP's global OAuth settings: GetConfiguration, SetConfiguration."""

from ..state.configuration import ConfigurationError
from .core import INVALID_PARAMETERS, OAuthFailure


def get_configuration(call):
    return {"Configuration": call.store.oauth_configuration()}


def set_configuration(call):
    """Store the whole object: what it leaves out takes its type default (state.configuration says why)."""
    if not isinstance(call.body.get("Configuration"), dict):
        raise OAuthFailure(INVALID_PARAMETERS, "Configuration is required: send the whole object GetConfiguration returns")
    try:
        call.store.configuration.replace(call.body["Configuration"])
    except ConfigurationError as error:
        raise OAuthFailure(INVALID_PARAMETERS, str(error))
    return {}


OPERATIONS = {
    "GetConfiguration": get_configuration,
    "SetConfiguration": set_configuration,
}
