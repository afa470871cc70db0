"""The /vedsdk/oauth/* endpoints: one module per endpoint family, each with its ``OPERATIONS`` table.

``core`` holds what they share (the admin-call wrapper with the token, scope and rights checks, the result envelope,
OAuthFailure and the field checks). A new family is a module with ``OPERATIONS = {"OperationName": function}`` and one
line in ``FAMILIES``; each operation is served as POST /vedsdk/oauth/<operationname>.
"""

from . import applications, configuration, core, grants, jwt_mappings, roles, rules

FAMILIES = (
    applications,
    rules,
    grants,
    jwt_mappings,
    configuration,
    roles,
)

ROUTES = {key: handler for family in FAMILIES for key, handler in core.routes(family.OPERATIONS).items()}
