"""The HTTP side: a threaded server on 127.0.0.1 and its three kinds of URL.

``/api/<method>`` is the Web API, ``/upload/v1/<token>`` takes file bytes (Slack's
files.slack.com upload URLs) and ``/response/<token>`` stands in for ``response_url``.
Port 0 lets the OS pick a free port, so test suites can run side by side.
"""

from __future__ import annotations

import json
import logging
import socket
import struct
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bot.slack_emulator.dispatch import ApiRequest, handle
from bot.slack_emulator.faults import FaultPlan
from bot.slack_emulator.methods.files import receive_upload
from bot.slack_emulator.state import Workspace
from bot.slack_emulator.wire import media_type, parse_body

logger = logging.getLogger(__name__)


class EmulatorServer(ThreadingHTTPServer):
    """A threaded HTTP server that knows the workspace and the fault plan it serves."""

    daemon_threads = True
    # The stdlib default backlog of 5 drops connections when a test fires many at once.
    request_queue_size = 128

    def __init__(self, workspace: Workspace, faults: FaultPlan, host: str = "127.0.0.1") -> None:
        super().__init__((host, 0), EmulatorHandler)
        self.workspace = workspace
        self.faults = faults

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>`` for the port the OS picked."""
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"


class EmulatorHandler(BaseHTTPRequestHandler):
    """Routes one request; Slack accepts GET and POST alike for API methods."""

    server: EmulatorServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet by default; the request log is available at DEBUG level."""
        logger.debug("%s - %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._route()

    def do_POST(self) -> None:
        self._route()

    def _route(self) -> None:
        path, _, query = self.path.partition("?")
        body = self._read_body()
        if path.startswith("/api/") and len(path) > len("/api/"):
            self._api(path.removeprefix("/api/"), query, body)
        elif path.startswith("/upload/v1/"):
            self._upload(path.removeprefix("/upload/v1/"), body)
        elif path.startswith("/response/"):
            self._response_url(path, body)
        else:
            self._send_json(404, {"ok": False, "error": "not_found"})

    def _read_body(self) -> bytes:
        """The request body, whether sized by Content-Length or sent chunked."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _api(self, method: str, query: str, body: bytes) -> None:
        request = ApiRequest(
            method=method,
            query=query,
            content_type=self.headers.get("Content-Type"),
            authorization=self.headers.get("Authorization"),
            body=body,
        )
        answer = handle(self.server.workspace, self.server.faults, request)
        if self.server.faults.take_cut(method):
            self._reset_connection()
            return
        self._send_json(answer.http_status, answer.body, answer.headers)

    def _reset_connection(self) -> None:
        """Close the socket with a TCP reset (linger 0): the call was carried out, its answer
        never arrives."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def _upload(self, token: str, body: bytes) -> None:
        """Slack's upload URLs take raw bytes (or one multipart file) and answer ``OK - n``."""
        data = body
        content_type = self.headers.get("Content-Type")
        if media_type(content_type) == "multipart/form-data":
            parts = parse_body(content_type, body)
            data = next((v for v in parts.values() if isinstance(v, bytes)), b"")
        if not receive_upload(self.server.workspace, token, data):
            self._send(404, b"Not Found", "text/plain")
            return
        self._send(200, f"OK - {len(data)}".encode(), "text/plain")

    def _response_url(self, path: str, body: bytes) -> None:
        """Record a JSON message sent to an issued ``response_url``."""
        ws = self.server.workspace
        url = self.server.base_url + path
        try:
            payload = json.loads(body.decode("utf-8") or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError):
            payload = None
        if not isinstance(payload, dict):
            self._send_json(400, {"ok": False, "error": "invalid_payload"})
            return
        with ws.lock:
            label = ws.response_urls.get(path.removeprefix("/response/"))
            if label is None:
                self._send_json(404, {"ok": False, "error": "no_service"})
                return
            ws.responses.append({"url": url, "label": label, "body": payload, "at": time.time()})
        self._send_json(200, {"ok": True})

    def _send_json(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        extra = {"X-Slack-Req-Id": uuid.uuid4().hex, **(headers or {})}
        self._send(status, json.dumps(body).encode(), "application/json; charset=utf-8", extra)

    def _send(
        self, status: int, data: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
