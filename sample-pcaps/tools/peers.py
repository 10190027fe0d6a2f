#!/usr/bin/python3
"""The client and server programs behind the sample captures.

    peers.py SCENARIO ROLE [options]

make-captures.sh runs each role inside its own network namespace.  Every
program handles exactly one connection and then exits; an alarm bounds its
whole life (--timeout), so a scenario that goes wrong cannot hang the script.

Servers create --ready-file once they listen, so that the client is started
only when a SYN will find a listener.  The timing of the close (who closes
first, pauses, common deadlines) is what each scenario is about; the payloads
are just short readable lines.
"""

import argparse
import errno
import http.server
import os
import signal
import socket
import socketserver
import struct
import sys
import time


def log(msg):
    print("%s: %s" % (ARGS.scenario + "/" + ARGS.role, msg), file=sys.stderr, flush=True)


def touch(path):
    if path:
        with open(path, "w") as f:
            f.write("%d\n" % os.getpid())


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def split_endpoint(text):
    addr, port = text.rsplit(":", 1)
    return addr.strip("[]"), int(port)


def listen_one():
    """Listen on --server/--port, tell the script we are ready, accept one connection."""
    lst = socket.socket(family_of(ARGS.server), socket.SOCK_STREAM)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind((ARGS.server, ARGS.port))
    lst.listen(1)
    touch(ARGS.ready_file)
    conn, peer = lst.accept()
    # Closing the listener does not touch the accepted connection and keeps a
    # stray second SYN from being accepted.
    lst.close()
    log("accepted %s" % (peer,))
    return conn


def connect():
    sock = socket.socket(family_of(ARGS.server), socket.SOCK_STREAM)
    sock.connect((ARGS.server, ARGS.port))
    return sock


def recv_line(sock):
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(4096)
        if not chunk:
            raise RuntimeError("connection closed in the middle of a line: %r" % data)
        data += chunk
    return data


def recv_until_eof(sock):
    data = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            return data
        data += chunk


def sleep_until(deadline):
    """Both peers of the simultaneous scenarios wait for the same wall-clock
    instant (all namespaces share CLOCK_REALTIME)."""
    delay = deadline - time.time()
    if delay < 0.2:
        raise RuntimeError("deadline too close or already passed (%.3f s)" % delay)
    time.sleep(delay)


# ---------------------------------------------------------------- scenarios

class ShortPageHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"          # keep-alive by default
    wbufsize = 65536                       # headers and body leave in one segment
    server_version = "tcpstate-lesson/1.0"
    sys_version = ""

    def do_GET(self):
        body = b"<html><body><p>Hello from %s</p></body></html>\n" % self.path.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        log("http: " + fmt % args)


class OneShotServer(socketserver.TCPServer):
    # Plain TCPServer rather than http.server.HTTPServer: the latter resolves
    # its own name (getfqdn), which could send DNS queries.
    allow_reuse_address = True


def http_server():
    """Serve one keep-alive connection until the client closes it; the handler
    then closes its side at once, so Linux sends FIN together with the ACK of
    the client's FIN."""
    OneShotServer.address_family = family_of(ARGS.server)
    with OneShotServer((ARGS.server, ARGS.port), ShortPageHandler) as srv:
        srv.timeout = ARGS.timeout
        touch(ARGS.ready_file)
        srv.handle_request()


def server_close_server():
    conn = listen_one()
    recv_line(conn)
    conn.sendall(b"Here is your answer. Goodbye.\n")
    # Let the client's ACK of the answer go by first, so that the close is a
    # separate, easily recognised phase of the capture.
    time.sleep(0.1)
    conn.close()


def server_close_client():
    sock = connect()
    sock.sendall(b"What is the answer?\n")
    recv_until_eof(sock)
    # The peer's FIN is acknowledged by the kernel (delayed ACK, ~40 ms) while
    # the application takes its time before closing: four separate segments.
    time.sleep(0.2)
    sock.close()


def refused_client():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.connect((ARGS.server, ARGS.port))
    except ConnectionRefusedError:
        log("connection refused, as expected")
        return
    raise RuntimeError("connect() unexpectedly succeeded")


def half_close_client():
    sock = connect()
    sock.sendall(b"Please send the report, I have nothing more to say.\n")
    sock.shutdown(socket.SHUT_WR)
    data = recv_until_eof(sock)
    log("received %d bytes after our FIN" % len(data))
    sock.close()


def half_close_server():
    conn = listen_one()
    recv_until_eof(conn)
    # Wait past the delayed-ACK timer so that the ACK of the client's FIN is a
    # segment of its own, then keep the half-open connection busy.
    time.sleep(0.1)
    for i in range(1, 6):
        conn.sendall(b"report part %d of 5\n" % i)
        time.sleep(0.025)
    conn.close()


def rst_abort_client():
    sock = connect()
    sock.sendall(b"Hello?\n")
    recv_line(sock)
    time.sleep(0.1)
    # SO_LINGER on with timeout 0: close() discards the connection and sends RST.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def rst_abort_server():
    conn = listen_one()
    recv_line(conn)
    conn.sendall(b"Hello! Anything else?\n")
    try:
        rest = conn.recv(4096)
        raise RuntimeError("expected a reset, got %r" % rest)
    except ConnectionResetError:
        log("connection reset by peer, as expected")
    conn.close()


def syn_timeout_client():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # No socket timeout: the kernel gives up by itself after
    # net.ipv4.tcp_syn_retries retransmissions; the alarm bounds the wait.
    start = time.monotonic()
    try:
        sock.connect((ARGS.server, ARGS.port))
    except OSError as e:
        if e.errno != errno.ETIMEDOUT:
            raise
        log("connect() timed out after %.1f s, as expected" % (time.monotonic() - start))
        return
    raise RuntimeError("connect() unexpectedly succeeded")


def lost_final_ack_client():
    sock = connect()
    sock.sendall(b"Just one question.\n")
    recv_line(sock)
    # Close first: our kernel sends the final ACK from TIME-WAIT and has to
    # send it again when the server repeats its FIN.
    sock.close()


def lost_final_ack_server():
    conn = listen_one()
    recv_line(conn)
    conn.sendall(b"Just one answer.\n")
    recv_until_eof(conn)
    conn.close()


def simultaneous_close_client():
    sock = connect()
    sock.sendall(b"Shall we hang up together?\n")
    recv_line(sock)
    sleep_until(ARGS.deadline)
    sock.shutdown(socket.SHUT_WR)
    recv_until_eof(sock)
    sock.close()


def simultaneous_close_server():
    conn = listen_one()
    recv_line(conn)
    conn.sendall(b"Yes, at the agreed moment.\n")
    sleep_until(ARGS.deadline)
    conn.shutdown(socket.SHUT_WR)
    recv_until_eof(conn)
    conn.close()


def simultaneous_open_peer():
    """Both peers bind a fixed port and connect() to each other at the same
    instant: no listener anywhere, the crossing SYNs make the connection."""
    local, remote = split_endpoint(ARGS.local), split_endpoint(ARGS.remote)
    sock = socket.socket(family_of(local[0]), socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(local)
    sleep_until(ARGS.deadline)
    sock.connect(remote)
    log("connected %s -> %s" % (local, remote))
    if ARGS.role == "a":
        sock.sendall(b"Hello, we both called at once.\n")
        recv_line(sock)
        sock.close()
    else:
        recv_line(sock)
        sock.sendall(b"So we did.\n")
        recv_until_eof(sock)
        sock.close()


def midstream_client():
    sock = connect()
    touch(ARGS.ready_file)
    # The capture starts only now; wait until the script says it is running.
    limit = time.monotonic() + ARGS.timeout
    while not os.path.exists(ARGS.go_file):
        if time.monotonic() > limit:
            raise RuntimeError("no go signal")
        time.sleep(0.01)
    for question in (b"First question?\n", b"Second question?\n"):
        sock.sendall(question)
        recv_line(sock)
    sock.close()


def midstream_server():
    conn = listen_one()
    for answer in (b"First answer.\n", b"Second answer.\n"):
        recv_line(conn)
        conn.sendall(answer)
    recv_until_eof(conn)
    conn.close()


def tcp_keepalive_server():
    conn = listen_one()
    recv_line(conn)
    conn.sendall(b"Yes. Now wait.\n")
    recv_until_eof(conn)
    conn.close()


def tcp_keepalive_client():
    """TCP keep-alive (RFC 9293 section 3.8.4), not HTTP keep-alive: when the
    connection has been idle for TCP_KEEPIDLE seconds, the kernel sends a
    probe, and again every TCP_KEEPINTVL seconds; the application does
    nothing.  Linux's probe carries no data and the sequence number one below
    the next one, so the peer answers it with an ACK."""
    sock = connect()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 3)
    sock.sendall(b"Are you there?\n")
    recv_line(sock)
    # Idle: probes at about 1, 2 and 3 s, each answered.
    time.sleep(ARGS.idle)
    sock.close()


ROLES = {
    ("http", "server"): http_server,
    ("server-close", "server"): server_close_server,
    ("server-close", "client"): server_close_client,
    ("refused", "client"): refused_client,
    ("half-close", "server"): half_close_server,
    ("half-close", "client"): half_close_client,
    ("rst-abort", "server"): rst_abort_server,
    ("rst-abort", "client"): rst_abort_client,
    ("syn-timeout", "client"): syn_timeout_client,
    ("lost-final-ack", "server"): lost_final_ack_server,
    ("lost-final-ack", "client"): lost_final_ack_client,
    ("simultaneous-close", "server"): simultaneous_close_server,
    ("simultaneous-close", "client"): simultaneous_close_client,
    ("simultaneous-open", "a"): simultaneous_open_peer,
    ("simultaneous-open", "b"): simultaneous_open_peer,
    ("midstream", "server"): midstream_server,
    ("midstream", "client"): midstream_client,
    ("tcp-keepalive", "server"): tcp_keepalive_server,
    ("tcp-keepalive", "client"): tcp_keepalive_client,
}


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenario", choices=sorted({s for s, _ in ROLES}))
    ap.add_argument("role")
    ap.add_argument("--server", help="server address (to listen on or connect to)")
    ap.add_argument("--port", type=int, default=6302)
    ap.add_argument("--local", help="ADDR:PORT to bind (simultaneous-open)")
    ap.add_argument("--remote", help="ADDR:PORT to connect to (simultaneous-open)")
    ap.add_argument("--deadline", type=float, help="common wall-clock instant (epoch seconds)")
    ap.add_argument("--ready-file", help="created when the peer may proceed")
    ap.add_argument("--go-file", help="wait for this file before talking (midstream)")
    ap.add_argument("--idle", type=float, default=3.5,
                    help="seconds the tcp-keepalive client stays idle before closing")
    ap.add_argument("--timeout", type=int, default=20, help="hard limit for the whole program")
    ARGS = ap.parse_args()
    func = ROLES.get((ARGS.scenario, ARGS.role))
    if func is None:
        ap.error("no role %r in scenario %r" % (ARGS.role, ARGS.scenario))
    # SIGALRM's default action ends the process: nothing here can wait forever.
    signal.alarm(ARGS.timeout)
    func()


if __name__ == "__main__":
    main()
