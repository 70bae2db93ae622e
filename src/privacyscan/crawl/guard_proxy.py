"""A forward proxy on loopback through which Chromium makes every connection.

Why a proxy and not `page.route()`: Playwright's route handler never sees the hops of a redirect, nor
service-worker or websocket traffic, so a page could redirect the browser to `169.254.169.254` unseen.
Here every connection, whatever caused it, is checked once: the proxy resolves the host itself, refuses
private, loopback and link-local addresses (unless allowed, or named by `--resolve`), and connects to the
address it checked, so a DNS answer that changes between check and connect (rebinding) cannot slip by.
`--resolve` mappings live here too, so the browser and any side-channel HTTP see the same hosts.

HTTPS is tunnelled (CONNECT) and never decrypted; plain HTTP is forwarded one request per connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from dataclasses import dataclass, field

from ..netguard import NetGuard, is_forbidden_address

MAX_HEAD = 64 * 1024
CONNECT_TIMEOUT_S = 15


@dataclass
class Refusal:
    host: str
    port: int
    reason: str
    kind: str = "refused"  # "refused" by the SSRF guard, or "unreachable" (DNS, connection)


@dataclass
class GuardProxy:
    guard: NetGuard
    refusals: list[Refusal] = field(default_factory=list)
    _loop: asyncio.AbstractEventLoop | None = None
    _server: asyncio.AbstractServer | None = None
    _thread: threading.Thread | None = None
    port: int = 0

    # ---------------------------------------------------------------- lifecycle
    def start(self) -> int:
        ready = threading.Event()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            self._server = self._loop.run_until_complete(
                asyncio.start_server(self._client, "127.0.0.1", 0, limit=MAX_HEAD)
            )
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, daemon=True, name="guard-proxy")
        self._thread.start()
        ready.wait(10)
        return self.port

    def stop(self) -> None:
        if self._loop and self._server:
            loop, server = self._loop, self._server

            async def close() -> None:
                server.close()
                for task in asyncio.all_tasks(loop):
                    if task is not asyncio.current_task():
                        task.cancel()

            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(close(), loop).result(5)
            loop.call_soon_threadsafe(loop.stop)
            if self._thread:
                self._thread.join(5)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def refusal_for(self, host: str, kind: str = "refused") -> str | None:
        return next((r.reason for r in reversed(self.refusals) if r.host == host and r.kind == kind), None)

    # ---------------------------------------------------------------- decisions
    async def _target(self, host: str, port: int) -> tuple[str, int] | Refusal:
        """The (address, port) to connect to, or why not."""
        host = host.strip("[]").lower()
        mapping = self.guard.mapped(host)
        if mapping:
            return mapping.address, mapping.port or port
        reason = self.guard.name_refusal(host)  # DNS comes next, once and without blocking the loop
        if reason:
            return Refusal(host, port, reason)
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, OSError):
            return Refusal(host, port, f"cannot resolve host {host}", kind="unreachable")
        for info in infos:
            address = info[4][0]
            if self.guard.allow_private_network or not is_forbidden_address(address):
                return address, port
        return Refusal(host, port, f"{host} resolves only to private, loopback or link-local addresses")

    # ---------------------------------------------------------------- serving
    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            writer.close()
            return
        try:
            request_line, _, rest = head.partition(b"\r\n")
            method, target, version = request_line.decode("latin-1").split(" ", 2)
            if method == "CONNECT":
                host, _, port_text = target.rpartition(":")
                await self._tunnel(reader, writer, host, int(port_text))
            else:
                await self._forward(reader, writer, method, target, version, rest)
        except (TimeoutError, ValueError, ConnectionError, OSError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _open(self, host: str, port: int, writer: asyncio.StreamWriter):
        decision = await self._target(host, port)
        if isinstance(decision, tuple):
            address, real_port = decision
            try:
                return await asyncio.wait_for(asyncio.open_connection(address, real_port), CONNECT_TIMEOUT_S)
            except (TimeoutError, OSError) as exc:
                decision = Refusal(host, port, f"cannot connect to {host}:{port} ({type(exc).__name__})", "unreachable")
        decision.host = decision.host.strip("[]").lower()
        self.refusals.append(decision)
        status = b"403 Forbidden" if decision.kind == "refused" else b"502 Bad Gateway"
        body = f"privacyscan: {decision.reason}\n".encode()
        writer.write(
            b"HTTP/1.1 " + status + b"\r\nContent-Type: text/plain\r\nConnection: close\r\n"
            + f"X-Privacyscan-Refused: {decision.reason}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        await writer.drain()
        return None

    async def _tunnel(self, reader, writer, host: str, port: int) -> None:
        upstream = await self._open(host, port, writer)
        if upstream is None:
            return
        writer.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        await writer.drain()
        await _relay(reader, writer, *upstream)

    async def _forward(self, reader, writer, method: str, target: str, version: str, rest: bytes) -> None:
        from urllib.parse import urlsplit

        parts = urlsplit(target)
        if parts.scheme != "http" or not parts.hostname:
            writer.write(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
            return
        upstream = await self._open(parts.hostname, parts.port or 80, writer)
        if upstream is None:
            return
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        # One request per upstream connection: Chromium may send the next request on this client
        # connection to another host, so we close after the response instead of parsing message bodies.
        headers = [
            line
            for line in rest.decode("latin-1").split("\r\n")
            if line and not line.lower().startswith(("proxy-connection:", "connection:", "keep-alive:"))
        ]
        head = f"{method} {path} {version}\r\n" + "\r\n".join([*headers, "Connection: close"]) + "\r\n\r\n"
        up_reader, up_writer = upstream
        up_writer.write(head.encode("latin-1"))
        await up_writer.drain()
        await _relay(reader, writer, up_reader, up_writer)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, OSError, asyncio.CancelledError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


async def _relay(client_reader, client_writer, up_reader, up_writer) -> None:
    await asyncio.gather(_pipe(client_reader, up_writer), _pipe(up_reader, client_writer))
