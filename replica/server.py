"""The replica web: local copies of the publishers' sites, answering under their real URLs.

The crawler reaches the replica the way it would reach any forward proxy: the replica *is* an HTTP proxy.
Plain-http requests arrive in absolute form (``GET http://host/path``); https requests arrive as
``CONNECT host:443``, which the replica answers by terminating TLS itself (with a self-signed certificate
that Scrapy and Playwright are configured not to verify), then serving the requests inside the tunnel.
So spiders hold only real URLs, and pointing the crawl at the replica is one proxy setting.

A request for a host the replica does not hold is answered ``502`` — the proxy's way of saying "unreachable".
"""

from __future__ import annotations

import datetime
import json
import logging
import socket
import ssl
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)


@dataclass
class ReplicaRequest:
    method: str
    url: str  # absolute: scheme://host/path?query
    headers: dict[str, str]
    body: bytes = b""

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    @property
    def path(self) -> str:
        return urlsplit(self.url).path or "/"

    @property
    def query(self) -> str:
        return urlsplit(self.url).query


@dataclass
class ReplicaResponse:
    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    # Seconds to wait before answering: how the replica plays a server that never answers in time.
    delay: float = 0.0

    @classmethod
    def html(cls, text: str, status: int = 200, charset: str = "utf-8") -> "ReplicaResponse":
        return cls(status, text.encode(charset), [("Content-Type", f"text/html; charset={charset}")])

    @classmethod
    def not_found(cls) -> "ReplicaResponse":
        return cls.html("<html><head><title>404 Not Found</title></head><body><h1>404</h1></body></html>", 404)


class Site(Protocol):
    """One publisher's site in the replica: answers every request for its host names."""

    hosts: tuple[str, ...]

    def respond(self, request: ReplicaRequest) -> ReplicaResponse: ...


class ReplicaWeb:
    """Routes each request to the site that owns its host."""

    def __init__(self, sites: list[Site]):
        self.sites_by_host = {host: site for site in sites for host in site.hosts}

    def respond(self, request: ReplicaRequest) -> ReplicaResponse:
        site = self.sites_by_host.get(request.host)
        if site is None:
            return ReplicaResponse.html(f"replica: no site for host {request.host!r}", status=502)
        return site.respond(request)


def _self_signed_tls_context(host_names: list[str]) -> ssl.SSLContext:
    """A server TLS context with a throwaway self-signed certificate naming every replica host."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "replica web")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name) for name in ["localhost", *host_names]]), False)
        .sign(key, hashes.SHA256())
    )
    with tempfile.TemporaryDirectory() as tmp:
        cert_file, key_file = Path(tmp, "cert.pem"), Path(tmp, "key.pem")
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_file, key_file)
    return context


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "ReplicaServer"
    tunnel_host: str | None = None  # set once a CONNECT tunnel has been opened on this connection

    def do_CONNECT(self) -> None:
        host = self.path.rsplit(":", 1)[0]
        self.send_response(200, "Connection established")
        self.end_headers()
        try:
            tls = self.server.tls_context.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            logger.debug("TLS handshake for %s failed: %s", host, exc)
            self.close_connection = True
            return
        # From here on the same handler reads the decrypted requests of the tunnel.
        self.connection = tls
        self.rfile = tls.makefile("rb")
        self.wfile = tls.makefile("wb")
        self.tunnel_host = host
        self.close_connection = False

    def _absolute_url(self) -> str:
        if self.tunnel_host is not None:
            return f"https://{self.tunnel_host}{self.path}"
        if self.path.startswith(("http://", "https://")):
            return self.path
        return f"http://{self.headers.get('Host', '')}{self.path}"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = ReplicaRequest(self.command, self._absolute_url(), dict(self.headers.items()), body)
        response = self.server.web.respond(request)
        self.server.log_request_seen(request, response)
        if response.delay:
            time.sleep(response.delay)
        try:
            self.send_response(response.status)
            for name, value in response.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            # The client gave up (a timeout test does exactly this); nothing to answer any more.
            self.close_connection = True

    do_GET = do_POST = do_HEAD = _serve

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        logger.info("%s %s", self.address_string(), format % args)


class ReplicaServer(ThreadingHTTPServer):
    """The replica web as an HTTP(S) forward proxy on a local port."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, web: ReplicaWeb, host: str = "127.0.0.1", port: int = 0, access_log: Path | None = None):
        self.web = web
        self.tls_context = _self_signed_tls_context(sorted(web.sites_by_host))
        # Tests read this to prove what was *not* requested (robots.txt), which a crawl's own records cannot show.
        self.access_log = access_log
        self._access_log_lock = threading.Lock()
        super().__init__((host, port), _ProxyHandler)

    def log_request_seen(self, request: ReplicaRequest, response: ReplicaResponse) -> None:
        if self.access_log is None:
            return
        line = json.dumps({"method": request.method, "url": request.url, "status": response.status}) + "\n"
        with self._access_log_lock, open(self.access_log, "a", encoding="utf-8") as log:
            log.write(line)

    def handle_error(self, request, client_address) -> None:
        # A client hanging up mid-answer (a crawl timing out, Chromium dropping a connection) is routine for a web
        # server; anything else is a replica bug and keeps the standard traceback.
        if isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError)):
            return
        super().handle_error(request, client_address)

    @property
    def proxy_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="replica-web", daemon=True)
        thread.start()
        return thread


def wait_for_port(host: str, port: int, timeout: float = 10.0) -> None:
    """Block until something accepts connections on host:port (a replica started in another process)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
