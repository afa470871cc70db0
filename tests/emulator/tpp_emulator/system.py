"""The /vedsdk SystemStatus/Version (any scope) and Certificates/ (certificate scope) endpoints."""

from .web import Response, require_grant


def version(request):
    require_grant(request)
    return Response(200, {"Version": request.store.version})


def certificates(request):
    require_grant(request, "certificate")
    return Response(200, {"Certificates": [], "TotalCount": 0})


ROUTES = {
    ("GET", "/vedsdk/systemstatus/version"): version,
    ("GET", "/vedsdk/certificates"): certificates,
}
