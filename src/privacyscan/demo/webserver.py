"""A virtual-host web on one loopback port: the demo site and the test fixture web.

Chromium is started with host-resolver rules that send every mapped hostname (`www.example.no`,
`www.google-analytics.com`, ...) to this server, which answers by the Host header. The same port speaks
plain HTTP and TLS (it peeks at the first byte: 0x16 starts a TLS handshake), because Chromium upgrades
HSTS-preloaded vendor hosts to https before a request leaves and one host rule covers both schemes.

Content comes from folders laid out as `<root>/<hostname>/<path>` (a folder serves its `index.html`;
a sidecar `<file>.headers` JSON adds headers, status or a delay) and from Python routes added by tests.
"""

from __future__ import annotations

import datetime as dt
import json
import mimetypes
import socket
import ssl
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..netguard import HostMapping

TLS_HANDSHAKE = 0x16


@dataclass
class Request:
    method: str
    host: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    scheme: str

    @property
    def cookies(self) -> dict[str, str]:
        jar = {}
        for part in self.headers.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name:
                jar[name] = value
        return jar


@dataclass
class Response:
    body: bytes | str = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)
    delay_s: float = 0.0
    hang: bool = False  # never answer (until the server stops): a page or script that never loads


Handler = Callable[[Request], Response]


@dataclass
class Hit:
    """One request the server answered: tests assert on what the browser really sent."""

    method: str
    host: str
    path: str
    query: str
    headers: dict[str, str]
    at: float


def _self_signed_cert(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "privacyscan fixture web")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("*"), x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


class VirtualHostWeb:
    def __init__(self, roots: Iterable[Path] = (), host: str = "127.0.0.1") -> None:
        self.roots = [Path(r) for r in roots]
        self.bind_host = host
        self.routes: dict[tuple[str, str], Handler] = {}
        self.hits: list[Hit] = []
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._tmp = tempfile.TemporaryDirectory(prefix="privacyscan-web-")
        cert, key = _self_signed_cert(Path(self._tmp.name))
        self._tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._tls.load_cert_chain(cert, key)

    # ------------------------------------------------------------------ content
    def route(self, host: str, path: str, handler: Handler | Response | str) -> None:
        if isinstance(handler, str):
            handler = Response(handler)
        if isinstance(handler, Response):
            fixed = handler
            handler = lambda _req: fixed  # noqa: E731
        self.routes[(host.lower(), path)] = handler

    def hostnames(self) -> list[str]:
        names = {host for host, _ in self.routes}
        for root in self.roots:
            if root.is_dir():
                names.update(p.name for p in root.iterdir() if p.is_dir() and "." in p.name)
        return sorted(names)

    def mappings(self) -> tuple[HostMapping, ...]:
        return tuple(HostMapping(h, self.bind_host, self.port) for h in self.hostnames())

    def requests_to(self, host: str, path_prefix: str = "") -> list[Hit]:
        return [h for h in self.hits if h.host == host and h.path.startswith(path_prefix)]

    def _static(self, request: Request) -> Response | None:
        for root in self.roots:
            base = (root / request.host).resolve()
            target = (base / request.path.lstrip("/")).resolve()
            if not str(target).startswith(str(base)):
                return Response("forbidden", status=403)
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                continue
            response = Response(target.read_bytes())
            guessed = mimetypes.guess_type(target.name)[0]
            if guessed:
                response.content_type = guessed + ("; charset=utf-8" if guessed.startswith("text/") else "")
            sidecar = target.with_name(target.name + ".headers")
            if sidecar.is_file():
                meta = json.loads(sidecar.read_text())
                response.status = meta.get("status", 200)
                response.delay_s = meta.get("delay_s", 0.0)
                response.content_type = meta.get("Content-Type", response.content_type)
                for name, value in meta.items():
                    if name in ("status", "delay_s", "Content-Type"):
                        continue
                    for v in value if isinstance(value, list) else [value]:
                        response.headers.append((name, v))
            return response
        return None

    def answer(self, request: Request) -> Response:
        handler = self.routes.get((request.host, request.path))
        if handler:
            return handler(request)
        static = self._static(request)
        if static:
            return static
        # A pixel or beacon endpoint that a vendor script calls: answer 204 so the request is visible;
        # a page the browser navigates to (it accepts HTML) gets an honest 404.
        if any(request.host == h for h, _ in self.routes) or any((r / request.host).is_dir() for r in self.roots):
            wants_page = "text/html" in request.headers.get("accept", "")
            return Response("not found", status=404) if wants_page else Response(b"", status=204)
        return Response("unknown host", status=502)

    # ------------------------------------------------------------------ serving
    def start(self) -> int:
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "privacyscan-fixture"

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def _serve(self) -> None:
                parts = urlsplit(self.path)
                host = (self.headers.get("Host") or "").split(":")[0].lower()
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                scheme = "https" if isinstance(self.connection, ssl.SSLSocket) else "http"
                web.hits.append(Hit(self.command, host, parts.path, parts.query, headers, time.time()))
                request = Request(self.command, host, parts.path, parse_qs(parts.query), headers, body, scheme)
                response = web.answer(request)
                if response.hang:
                    web._stopping.wait()
                    return
                if response.delay_s:
                    web._stopping.wait(response.delay_s)
                payload = response.body.encode() if isinstance(response.body, str) else response.body
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("Cache-Control", "no-store")
                for name, value in response.headers:
                    self.send_header(name, value)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_HEAD = do_PUT = _serve

            def do_OPTIONS(self) -> None:  # noqa: N802 - CORS preflight for beacons
                self.send_response(204)
                self.send_header("Access-Control-Allow-Origin", self.headers.get("Origin") or "*")
                self.send_header("Access-Control-Allow-Credentials", "true")
                self.send_header("Access-Control-Allow-Headers", "*")
                self.send_header("Access-Control-Allow-Methods", "GET, POST")
                self.send_header("Content-Length", "0")
                self.end_headers()

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            allow_reuse_address = True
            request_queue_size = 128

            def finish_request(self, request: socket.socket, client_address: tuple) -> None:
                # Sniff TLS in the connection's own thread: Chromium opens idle preconnects that send
                # nothing, and peeking in the accept loop would stall every other connection.
                request.settimeout(30)
                try:
                    first = request.recv(1, socket.MSG_PEEK)
                    if first and first[0] == TLS_HANDSHAKE:
                        request = web._tls.wrap_socket(request, server_side=True)
                    Handler(request, client_address, self)
                except (OSError, ssl.SSLError):
                    pass

            def handle_error(self, request: object, client_address: object) -> None:
                pass

        self._server = Server((self.bind_host, 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="fixture-web")
        self._thread.start()
        return self.port

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the web first"
        return self._server.server_address[1]

    def stop(self) -> None:
        self._stopping.set()
        if self._server:
            self._server.shutdown()
            self._server.server_close()
        self._tmp.cleanup()

    def __enter__(self) -> VirtualHostWeb:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
