"""The threaded HTTPS server: TLS per connection, routing, reason phrases, faults and NTLM per connection.

Each connection gets a worker thread that does its own TLS handshake (with a timeout), so a stalled
client cannot block the accept loop. Client certificates are requested (CERT_OPTIONAL) and must
chain to the emulator CA. The handler object lives as long as its connection, so it holds that
connection's NTLM acceptor: NTLM authenticates the connection, as IIS does.
"""

import base64
import hashlib
import ipaddress
import json
import os
import socket
import socketserver
import ssl
import struct
import sys
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import spnego
from spnego.channel_bindings import GssChannelBindings
from spnego.exceptions import SpnegoError

from . import control, identity, idp, oauth, system, vedauth
from .web import ApiError, Request, Response, oauth_error

HANDSHAKE_TIMEOUT = 10
IDLE_TIMEOUT = 120
MAX_BODY = 1024 * 1024
# Every module that serves endpoints, each with its ROUTES {(method, lower-case path): handler}.
FAMILIES = (vedauth, oauth, identity, system, control, idp)
ROUTES = {key: handler for family in FAMILIES for key, handler in family.ROUTES.items()}
# Paths for tests only: answered for loopback clients only, never counted, never faulted.
TEST_ONLY = (control.PREFIX, idp.PREFIX)
KNOWN_PATHS = {key[1] for key in ROUTES}
WINDOWS_SCHEMES = ("NTLM", "Negotiate")
WINDOWS_CHALLENGE = (("WWW-Authenticate", "NTLM"), ("WWW-Authenticate", "Negotiate"))
WINDOWS_FAILED = "Integrated Windows authentication failed"
NTLM_NEGOTIATE_TYPE = b"\x01\x00\x00\x00"


def tls_context(workdir):
    """Server TLS context: the emulator's server certificate; client certificates requested, trusted only from the emulator CA."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(os.path.join(workdir, "server.pem"), os.path.join(workdir, "server-key.pem"))
    context.load_verify_locations(os.path.join(workdir, "ca.pem"))
    context.verify_mode = ssl.CERT_OPTIONAL
    return context


def channel_bindings(server_certificate_der):
    """RFC 5929 tls-server-end-point bindings; SHA-256 because the emulator CA signs with ECDSA-SHA256."""
    return GssChannelBindings(application_data=b"tls-server-end-point:" + hashlib.sha256(server_certificate_der).digest())


class WindowsLogin:
    """One connection's NTLM acceptor and the principal it authenticated."""

    def __init__(self, bindings):
        self._bindings = bindings
        self._context = None
        self.principal = None

    def step(self, token):
        """Feed one NTLM message; returns the reply token. A NEGOTIATE message starts over."""
        if token[8:12] == NTLM_NEGOTIATE_TYPE:
            self.principal = None
            self._context = spnego.server(protocol="ntlm", channel_bindings=self._bindings)
        context, self._context = self._context, None
        if context is None:
            raise ValueError("NTLM message out of order")
        reply = context.step(token)
        if context.complete:
            self.principal = context.client_principal
        else:
            self._context = context
        return reply or b""


def _phrase(status):
    return BaseHTTPRequestHandler.responses.get(status, ("Unknown",))[0]


def _reason(response):
    phrase = response.reason or _phrase(response.status)
    return phrase.replace("\r", " ").replace("\n", " ").encode("latin-1", "replace").decode("latin-1")


def fault_response(status):
    error = "server_error" if status >= 500 else "invalid_request"
    return oauth_error(status, error, "Fault injected by the emulator (HTTP %d)" % status)


class EmulatorHandler(BaseHTTPRequestHandler):
    """Serves one connection: reads each request whole, dispatches it, writes a JSON reply."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = IDLE_TIMEOUT
    server_version = "TPP-Emulator"
    sys_version = ""

    def setup(self):
        super().setup()
        self.windows = WindowsLogin(self.server.channel_bindings)

    def log_message(self, format, *args):
        """Quiet: a busy test run must not fill a pipe nobody reads."""

    def date_time_string(self, timestamp=None):
        """The Date header in the server clock's time, which POST /_emulator/clock moves, as TPP's own clock would give it."""
        if timestamp is None and self.server.control is not None:
            timestamp = self.server.control.clock.now()
        return super().date_time_string(timestamp)

    def send_error(self, code, message=None, explain=None):
        self.close_connection = True
        self._reply(oauth_error(code, "invalid_request", message or _phrase(code)))

    def _serve(self):
        body = self._read_body()
        if body is None:
            return
        path = urlsplit(self.path).path.lower()
        if path.startswith(TEST_ONLY):
            self._reply(self._test_only(path, body))
            return
        self.server.control.record_request(self.command, path)
        fault = self.server.control.take_fault(path)
        if fault is None or not self._inject(fault):
            self._reply(self._route(path, body))

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

    def _read_body(self):
        """The whole request body (also on requests that will get a 401); None after answering a framing error."""
        length = self.headers.get("Content-Length")
        if length is None and self.headers.get("Transfer-Encoding"):
            self.send_error(411, "Content-Length is required")
            return None
        try:
            size = int(length or 0)
        except ValueError:
            size = -1
        if not 0 <= size <= MAX_BODY:
            self.send_error(400, "Invalid Content-Length")
            return None
        return self.rfile.read(size)

    def _inject(self, fault):
        """Apply a fault after its delay; True when it answered (or dropped) the request."""
        time.sleep(fault.delay)
        if fault.drop:
            self._drop()
            return True
        if fault.status is not None:
            self._reply(fault_response(fault.status))
            return True
        return False

    def _drop(self):
        """Promise a whole response, write part of it, and close the connection."""
        payload = json.dumps({"error": "server_error", "error_description": "connection dropped by the emulator"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload[:len(payload) // 2])
        self.close_connection = True

    def _test_only(self, path, body):
        if not ipaddress.ip_address(self.client_address[0]).is_loopback:
            return oauth_error(403, "access_denied", "The test paths (/_emulator/, /_idp/) answer loopback clients only")
        return self._route(path, body)

    def _route(self, path, body):
        key = path.rstrip("/")
        handler = ROUTES.get((self.command, key))
        if handler is None:
            if key in KNOWN_PATHS:
                return Response(405, {"Message": "The requested resource does not support http method '%s'." % self.command})
            return Response(404, {"Message": "No HTTP resource was found that matches the request URI '%s'." % self.path})
        request = Request(method=self.command, path=key, headers=self.headers, body=body, store=self.server.store,
                          control=self.server.control, client_cn=self._client_cn(), windows_user=self._windows_user)
        try:
            return handler(request)
        except ApiError as error:
            return error.response
        except Exception:
            traceback.print_exc()
            return oauth_error(500, "server_error", "The emulator failed to handle the request")

    def _client_cn(self):
        subject = (self.connection.getpeercert() or {}).get("subject", ())
        return next((value for rdn in subject for key, value in rdn if key == "commonName"), None)

    def _windows_user(self):
        """The principal this connection authenticated as; raises ApiError(401) until the NTLM handshake completes."""
        scheme, token = (self.headers.get("Authorization") or "").strip().partition(" ")[::2]
        scheme = next((known for known in WINDOWS_SCHEMES if known.lower() == scheme.lower()), None)
        if scheme is None:
            if self.windows.principal:
                return self.windows.principal
            raise ApiError(Response(401, {}, "Unauthorized", WINDOWS_CHALLENGE))
        try:
            reply = self.windows.step(base64.b64decode(token.strip(), validate=True))
        except (SpnegoError, ValueError, struct.error):
            raise ApiError(oauth_error(401, "invalid_grant", WINDOWS_FAILED, "Unauthorized", WINDOWS_CHALLENGE))
        if self.windows.principal is None:
            challenge = (("WWW-Authenticate", "%s %s" % (scheme, base64.b64encode(reply).decode("ascii"))),)
            raise ApiError(Response(401, {}, "Unauthorized", challenge))
        return self.windows.principal

    def _reply(self, response):
        payload = json.dumps(response.body).encode("utf-8")
        self.send_response(response.status, _reason(response))
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


class EmulatorServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that wraps each accepted socket in TLS inside its worker thread."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 256

    def __init__(self, address, context, bindings):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.tls_context = context
        self.channel_bindings = bindings
        self.store = None
        self.control = None
        super().__init__(address, EmulatorHandler)

    def server_bind(self):
        """Bind without HTTPServer's reverse DNS lookup of the host, which can stall start-up."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def process_request_thread(self, request, client_address):
        connection = self._handshake(request)
        if connection is not None:
            super().process_request_thread(connection, client_address)

    def _handshake(self, raw):
        """The TLS connection over ``raw``, or None (socket closed) when the handshake fails or stalls."""
        raw.settimeout(HANDSHAKE_TIMEOUT)
        try:
            connection = self.tls_context.wrap_socket(raw, server_side=True, do_handshake_on_connect=False)
        except OSError:
            raw.close()
            return None
        try:
            connection.do_handshake()
        except OSError:
            connection.close()
            return None
        return connection

    def handle_error(self, request, client_address):
        """Clients that vanish mid-request are routine; anything else is printed."""
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)
