# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validate emulator responses against Venafi's published OpenAPI contract.

The four files of Venafi's WebSDK contract 26.1.1 are vendored, unchanged, in ``tests/emulator/contract``
(its README says where they come from); ``TPP_OPENAPI_DIR`` points the tests at another copy, such as a
newer upstream revision. They declare ``openapi: 3.2.0``, whose schema dialect is JSON Schema 2020-12;
every ``$ref`` is local (``#/components/schemas/...``). Method names in TPP are case-insensitive, so
operations are looked up by lower-cased path.
"""

import copy
import os
import re
from pathlib import Path

import jsonschema
import yaml

SPEC_FILES = (
    "venafi-authentication-server-apis-api-openapi.yml",
    "venafi-access-management-apis-api-openapi.yml",
    "venafi-identity-apis-api-openapi.yml",
    "venafi-system-status-apis-api-openapi.yml",
)

# The vendored copy (tests/emulator/contract/README.md says where it comes from).
VENDORED_DIR = Path(__file__).resolve().parents[1] / "contract"

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

# Endpoints the emulator serves that Venafi's four published groups do not describe.
# Their shapes come from tests/emulator/README.md (the path is vcert's certificate list, urlResourceCertificatesList;
# the body is the emulator's choice), not from the OAS.
SUPPLEMENTAL_SCHEMAS = {
    ("get", "/vedsdk/certificates/"): {
        200: {
            "type": "object",
            "required": ["Certificates", "TotalCount"],
            "properties": {
                "Certificates": {"type": "array"},
                "TotalCount": {"type": "integer", "format": "int32"},
            },
        },
    },
}

_INT_RANGES = {
    "int32": (-(2 ** 31), 2 ** 31 - 1),
    "int64": (-(2 ** 63), 2 ** 63 - 1),
}


class UndocumentedOperation(LookupError):
    """No operation (or no such response status) in the contract for a request."""


def default_spec_dir():
    """The directory holding the four OpenAPI files."""
    override = os.environ.get("TPP_OPENAPI_DIR")
    if override:
        return Path(override)
    return VENDORED_DIR


def _format_checker():
    checker = jsonschema.FormatChecker()

    def make(low, high):
        def check(value):
            if isinstance(value, bool) or not isinstance(value, int):
                return True  # "type" reports non-integers
            return low <= value <= high
        return check

    for name, (low, high) in _INT_RANGES.items():
        checker.checks(name)(make(low, high))
    return checker


FORMAT_CHECKER = _format_checker()


def _add_null(schema_type):
    if isinstance(schema_type, list):
        return schema_type if "null" in schema_type else schema_type + ["null"]
    return [schema_type, "null"]


def resolve(node, document, stack=()):
    """Return ``node`` with every local ``$ref`` inlined and OAS 3.0 ``nullable`` translated."""
    if isinstance(node, list):
        return [resolve(item, document, stack) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/"):
            raise ValueError("only local $refs are supported, got %r" % (ref,))
        if ref in stack:
            raise ValueError("recursive $ref %s" % ref)
        target = document
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        resolved = resolve(target, document, stack + (ref,))
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        if siblings:
            resolved = dict(resolved)
            resolved.update(resolve(siblings, document, stack))
        return resolved
    out = {}
    for key, value in node.items():
        if key in ("properties", "patternProperties", "$defs", "definitions"):
            out[key] = {name: resolve(sub, document, stack) for name, sub in value.items()}
        elif key in ("example", "examples", "description", "title", "enum", "const", "default"):
            out[key] = copy.deepcopy(value)
        else:
            out[key] = resolve(value, document, stack)
    if out.pop("nullable", False):
        if "type" in out:
            out["type"] = _add_null(out["type"])
        if "enum" in out and None not in out["enum"]:
            out["enum"] = list(out["enum"]) + [None]
    return out


def _path_regex(path):
    parts = re.split(r"(\{[^/{}]+\})", path.lower())
    pattern = "".join("[^/]+" if p.startswith("{") and p.endswith("}") else re.escape(p) for p in parts)
    return re.compile("^" + pattern + "$")


class Contract:
    """The response schemas of every operation in the OpenAPI files."""

    def __init__(self, spec_dir=None):
        self.spec_dir = Path(spec_dir) if spec_dir else default_spec_dir()
        self.operations = {}  # (method, lower path) -> {status: schema or None}
        self.templated = []  # (method, regex, responses)
        self.components = {}  # schema name -> resolved schema
        for name in SPEC_FILES:
            path = self.spec_dir / name
            if not path.is_file():
                raise FileNotFoundError("OpenAPI file %s not found (set TPP_OPENAPI_DIR)" % path)
            with open(path, encoding="utf-8") as handle:
                document = yaml.safe_load(handle)
            self._load(document)
        for key, responses in SUPPLEMENTAL_SCHEMAS.items():
            self.operations.setdefault(key, dict(responses))

    def _load(self, document):
        for name, schema in document.get("components", {}).get("schemas", {}).items():
            self.components.setdefault(name, resolve(schema, document))
        for path, item in document.get("paths", {}).items():
            for method, operation in item.items():
                if method not in HTTP_METHODS:
                    continue
                responses = {}
                for status, response in operation.get("responses", {}).items():
                    response = resolve(response, document)
                    content = response.get("content") or {}
                    media = content.get("application/json") or next(iter(content.values()), None)
                    schema = media.get("schema") if media else None
                    responses[int(status) if str(status).isdigit() else status] = schema
                if "{" in path:
                    self.templated.append((method, _path_regex(path), responses))
                else:
                    self.operations[(method, path.lower())] = responses

    def responses(self, method, path):
        """All documented responses of ``method path`` (query string ignored, case-insensitive)."""
        method = method.lower()
        path = path.split("?", 1)[0].lower()
        candidates = [path, path.rstrip("/"), path.rstrip("/") + "/"]
        for candidate in candidates:
            if (method, candidate) in self.operations:
                return self.operations[(method, candidate)]
        for op_method, regex, responses in self.templated:
            if op_method == method and any(regex.match(c) for c in candidates):
                return responses
        raise UndocumentedOperation("%s %s is not in the OpenAPI contract" % (method.upper(), path))

    def response_schema(self, method, path, status):
        """The schema of one response; ``None`` when it is documented without a body schema."""
        responses = self.responses(method, path)
        for key in (status, str(status), "%dXX" % (status // 100), "default"):
            if key in responses:
                return responses[key]
        raise UndocumentedOperation("%s %s has no %s response in the OpenAPI contract" % (method.upper(), path, status))

    def validate(self, method, path, status, body):
        """Raise ``jsonschema.ValidationError`` unless ``body`` fits the documented response schema.

        Returns the schema used (``None`` when the response is documented without a body).
        """
        schema = self.response_schema(method, path, status)
        if schema is not None:
            validator = jsonschema.Draft202012Validator(schema, format_checker=FORMAT_CHECKER)
            error = jsonschema.exceptions.best_match(validator.iter_errors(body))
            if error is not None:
                raise error
        return schema

    def validate_component(self, name, body):
        """Validate ``body`` against the named ``components.schemas`` entry."""
        validator = jsonschema.Draft202012Validator(self.components[name], format_checker=FORMAT_CHECKER)
        error = jsonschema.exceptions.best_match(validator.iter_errors(body))
        if error is not None:
            raise error

    def is_documented(self, method, path, status):
        """True when the contract has a response for this status."""
        try:
            self.response_schema(method, path, status)
        except UndocumentedOperation:
            return False
        return True
