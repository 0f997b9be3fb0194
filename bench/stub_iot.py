#!/usr/bin/env python3
"""Loopback IoT stub for the cold-start benchmark: answers every request with success.

Checks nothing (no signature, no parameters): the project's own emulator does the strict checks.
It only has to look enough like the IoT gateway for both SDKs to parse the reply.

    stub_iot.py [--port 0] [--qps N] [--tls-cert CERT.pem --tls-key KEY.pem]

Prints the bound port on the first line of stdout (so --port 0 can pick a free one).
--qps N answers HTTP 400 Throttling.User to requests beyond N in any one-second window
(gateway error shape; status per the common-error-code page), for the batch throughput runs.
--tls-cert/--tls-key serve HTTPS instead (the clients must trust the certificate), for cold starts
that include TLS set-up and a handshake, as against the real endpoint.
"""
import argparse
import collections
import json
import ssl
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 so the SDKs' connection pools can keep the connection open across a batch.
    protocol_version = "HTTP/1.1"
    limiter = None

    def do_GET(self):
        self._answer()

    def do_POST(self):
        # The SDKs send every parameter in the query and an empty body, but the body must still be
        # drained or a kept-alive connection desyncs (Tea/okhttp sends it chunked: "0\r\n\r\n").
        self._drain_body()
        self._answer()

    def _drain_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                self.rfile.read(size + 2)  # chunk data and its CRLF; the last chunk leaves only CRLF
                if size == 0:
                    break
        else:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)

    def _answer(self):
        request_id = str(uuid.uuid4()).upper()
        if self.limiter is not None and not self.limiter.admit():
            status, body = 400, {
                "RequestId": request_id,
                "HostId": "iot.cn-shanghai.aliyuncs.com",
                "Code": "Throttling.User",
                "Message": "Request was denied due to user flow control.",
            }
        else:
            status, body = 200, {"RequestId": request_id, "Success": True}
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format, *args):
        pass  # a log line per request would only add noise to the timed runs


class SlidingWindow:
    """At most `limit` admissions in any trailing one-second window."""

    def __init__(self, limit):
        self.limit = limit
        self.times = collections.deque()
        self.lock = threading.Lock()

    def admit(self):
        now = time.monotonic()
        with self.lock:
            while self.times and now - self.times[0] >= 1.0:
                self.times.popleft()
            if len(self.times) >= self.limit:
                return False
            self.times.append(now)
            return True


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--qps", type=int, default=0, help="throttle above N requests per second (0: never)")
    parser.add_argument("--tls-cert", help="PEM certificate: serve HTTPS")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    args = parser.parse_args()
    if args.qps > 0:
        Handler.limiter = SlidingWindow(args.qps)
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
