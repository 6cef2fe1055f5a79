"""`ctkg neo4j browser`: the managed server's Neo4j Browser, with no call leaving this machine.

Browser 5.24, as Neo4j 5.26 Community serves it, still asks for Google Fonts (a CSS @import),
loads the Segment and Canny scripts and reports client errors to Sentry, even with
`client.allow_telemetry=false`; Community refuses `browser.allow_outgoing_connections`, and no
Neo4j setting adds a response header. So ctkg serves the Browser through a small reverse proxy
on 127.0.0.1 that adds a Content-Security-Policy to every response: the page may load only
from the proxy, and connect only to it, to the server's HTTP port and to its Bolt port on this
machine. The browser itself then refuses every third-party request before it is made. The
policy's violation reports come back to the proxy (`/__ctkg/csp-report`), which logs each
refused address once.

Standard library only (http.server, http.client); it binds loopback addresses only.
"""
from __future__ import annotations

import http.client
import ipaddress
import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from ctkg.errors import CtkgError

log = logging.getLogger(__name__)

REPORT_PATH = "/__ctkg/csp-report"
# Hop-by-hop headers are the proxy's own business (RFC 9110 §7.6.1); the upstream's CSP, if
# it ever sends one, is replaced by ours; Date and Server are the proxy's own.
_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailer", "transfer-encoding", "upgrade", "content-security-policy",
        "content-security-policy-report-only", "content-length", "date", "server"}
UPSTREAM_TIMEOUT = 60.0


class BrowserProxyError(CtkgError):
    """A proxy setting the user can fix (shown as one line)."""


def check_loopback(host: str) -> str:
    """The host, when it is a loopback address (127.0.0.0/8, ::1, localhost); else an error."""
    if host == "localhost":
        return "127.0.0.1"
    try:
        if ipaddress.ip_address(host).is_loopback:
            return host
    except ValueError:
        pass
    raise BrowserProxyError(f"the Browser proxy binds only a loopback address (127.0.0.1, ::1), "
                            f"not {host!r}: it serves a database session")


def content_security_policy(bolt_port: int, http_port: int) -> str:
    """Everything from this origin; connections to it, to the server's HTTP port and to its
    Bolt port on 127.0.0.1/localhost (the Browser asks the Bolt port over HTTP first, then
    opens a WebSocket); nothing from any other host."""
    local = [f"{scheme}://{host}:{port}" for host in ("127.0.0.1", "localhost")
             for scheme, port in (("ws", bolt_port), ("http", bolt_port), ("http", http_port))]
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "font-src 'self' data:",
        "img-src 'self' data: blob:",
        "connect-src 'self' " + " ".join(local),
        "worker-src 'self' blob:",
        "frame-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        f"report-uri {REPORT_PATH}",
    ])


class _Handler(BaseHTTPRequestHandler):
    server: "BrowserProxy"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (http.server's name)
        log.debug("%s %s", self.address_string(), format % args)

    def _forward(self) -> None:
        if self.path == REPORT_PATH and self.command == "POST":
            return self._report()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP
                   and k.lower() != "host"}
        headers["Host"] = f"127.0.0.1:{self.server.upstream_port}"
        conn = http.client.HTTPConnection("127.0.0.1", self.server.upstream_port,
                                          timeout=UPSTREAM_TIMEOUT)
        try:
            conn.request(self.command, self.path, body=body, headers=headers)
            reply = conn.getresponse()
            data = reply.read()
        except OSError as exc:
            conn.close()
            return self._send(502, f"Neo4j does not answer on 127.0.0.1:"
                                   f"{self.server.upstream_port} ({exc.strerror or exc})\n")
        conn.close()
        self.send_response(reply.status, reply.reason)
        for key, value in reply.getheaders():
            if key.lower() in _HOP:
                continue
            if key.lower() == "location":
                value = self.server.local_location(value)
            self.send_header(key, value)
        self._finish(data)

    def _report(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            report = json.loads(raw or b"{}").get("csp-report") or {}
        except (ValueError, AttributeError):
            report = {}
        self.server.record(str(report.get("blocked-uri") or "?"),
                           str(report.get("violated-directive")
                               or report.get("effective-directive") or "?"))
        self._send(204, "")

    def _send(self, status: int, text: str) -> None:
        self.send_response(status)
        if text:
            self.send_header("Content-Type", "text/plain; charset=utf-8")
        self._finish(text.encode("utf-8"))

    def _finish(self, data: bytes) -> None:
        self.send_header("Content-Security-Policy", self.server.policy)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = _forward


class BrowserProxy(ThreadingHTTPServer):
    """The reverse proxy: `BrowserProxy(http_port, bolt_port)` listens on 127.0.0.1 (a free
    port unless `port` is given); `serve_forever()` in a thread or the foreground."""

    daemon_threads = True

    def __init__(self, upstream_port: int, bolt_port: int, host: str = "127.0.0.1",
                 port: int = 0) -> None:
        host = check_loopback(host)
        self.upstream_port, self.bolt_port = upstream_port, bolt_port
        self.policy = content_security_policy(bolt_port, upstream_port)
        self.blocked: dict[str, str] = {}  # address the policy refused -> directive
        self._lock = threading.Lock()
        if ":" in host:
            self.address_family = socket.AF_INET6
        try:
            super().__init__((host, port), _Handler)
        except OSError as exc:
            raise BrowserProxyError(f"cannot listen on {host}:{port}: "
                                    f"{exc.strerror or exc}") from None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}/browser/"

    def browser_url(self) -> str:
        """The Browser's address, with the Bolt address filled in on its connect form."""
        return f"{self.url}?dbms=neo4j://127.0.0.1:{self.bolt_port}"

    def local_location(self, location: str) -> str:
        """A redirect to the upstream server, made a redirect to the proxy."""
        parts = urlsplit(location)
        if parts.hostname in ("127.0.0.1", "localhost") and parts.port == self.upstream_port:
            return location.split(f":{self.upstream_port}", 1)[1] or "/"
        return location

    def record(self, uri: str, directive: str) -> None:
        """A refused request, logged the first time its address shows up."""
        with self._lock:
            if uri in self.blocked:
                return
            self.blocked[uri] = directive
        log.info("refused by the page's policy (%s): %s", directive.split()[0], uri)
