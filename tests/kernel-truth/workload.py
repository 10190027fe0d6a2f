#!/usr/bin/python3
"""The seeded workload of the kernel-truth check: a plan, a server, a client.

    workload.py plan   --seed N --connections C --out plan.json
    workload.py server --plan plan.json --addr A --port P --log FILE --stop-file F
    workload.py client --plan plan.json --server A --port P --closed-port Q --log FILE

The plan is a pure function of (seed, connections): for each connection its
kind (how it closes), its client port (fixed, so that the kernel's sockets,
the capture's streams and the plan meet on the 4-tuple), its start time and
its transfer sizes.  Each side handles connection i by looking its client port
up in the plan.  Every socket operation is bounded by a timeout, so a lost RST
or FIN can only make a connection slower, never hang the run.  Each side
writes one JSON line per connection to --log with what really happened
(exceptions included), which run.sh keeps beside the results.
"""

import argparse
import json
import os
import random
import select
import socket
import struct
import sys
import threading
import time

# kind -> weight.  The kinds are the closes that issue 10 asks for.
KINDS = {
    "client-close": 20,    # client FIN first, server answers with its own
    "server-close": 18,    # server FIN first
    "simultaneous": 12,    # both close at one wall-clock instant: crossing FINs
    "half-close": 10,      # client shutdown(SHUT_WR), then data the other way
    "abort-client": 7,     # client close() with SO_LINGER 0: RST (half of them while
                           # its request is still in flight: with a loss, the RST is
                           # beyond the server's next expected byte, RFC 5961 challenge)
    "abort-server": 7,     # server close() with SO_LINGER 0: RST
    "unread-client": 5,    # client close() with unread data: the kernel sends RST
    "unread-server": 5,    # server close() with unread data: the kernel sends RST
    "refused": 8,          # SYN to a port without listener
    "keepalive": 8,        # idle with keep-alive probes, then client close
}
FIRST_PORT = 20000
IO_TIMEOUT = 6.0          # every blocking call on a connection socket
SPREAD_PER_CONN = 0.05    # seconds between planned starts, on average
KEEPALIVE_IDLE = 2.6      # seconds of silence in "keepalive": two probes at 1 s, 2 s


def transfer_size(rng):
    """0-200 KB, most transfers small (keeps the capture and the relay bounded)."""
    r = rng.random()
    if r < 0.15:
        return 0
    if r < 0.65:
        return rng.randint(1, 2000)
    if r < 0.92:
        return rng.randint(2001, 40000)
    return rng.randint(40001, 200000)


def make_plan(seed, count):
    rng = random.Random(seed)
    kinds, weights = zip(*KINDS.items())
    plan, t = [], 0.5
    for i in range(count):
        kind = rng.choices(kinds, weights)[0]
        t += rng.expovariate(1.0 / SPREAD_PER_CONN)
        plan.append({
            "index": i,
            "kind": kind,
            "cport": FIRST_PORT + i,
            "start": round(t, 4),
            "request": transfer_size(rng) if kind != "refused" else 0,
            "response": transfer_size(rng) if kind != "refused" else 0,
            "pause": round(rng.uniform(0.0, 0.05), 4),
        })
        plan[-1]["early"] = kind == "abort-client" and rng.random() < 0.5
        if kind == "unread-client":
            # Something must be left unread for close() to send RST.
            plan[-1]["response"] = max(plan[-1]["response"], 100)
    return plan


def payload(n, tag):
    return (tag * (n // len(tag) + 1))[:n]


def recv_exact(sock, n):
    got = 0
    while got < n:
        chunk = sock.recv(min(65536, n - got))
        if not chunk:
            raise EOFError("EOF after %d of %d bytes" % (got, n))
        got += len(chunk)


def recv_until_eof(sock):
    got = 0
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return got
        got += len(chunk)


def linger0(sock):
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def wait_readable(sock, secs):
    readable, _, _ = select.select([sock], [], [], secs)
    return bool(readable)


def wait_for_peer_end(sock):
    """After an abort by the peer: read until its RST (ECONNRESET) or EOF; if
    the RST was lost this times out and the caller's close() sends a FIN,
    which the peer's kernel answers with another RST."""
    try:
        recv_until_eof(sock)
        return "eof"
    except ConnectionResetError:
        return "reset"
    except socket.timeout:
        return "timeout"


# ------------------------------------------------------------------ server

def serve(conn, c):
    kind, events = c["kind"], []
    conn.settimeout(IO_TIMEOUT)
    try:
        if kind == "half-close":
            recv_until_eof(conn)
            conn.sendall(payload(c["response"], b"half-close answer "))
            time.sleep(c["pause"])
            conn.close()
            return events
        recv_exact(conn, c["request"])
        conn.sendall(payload(c["response"], b"server data "))
        if kind in ("client-close", "keepalive"):
            events.append(wait_for_peer_end(conn))
            conn.close()
        elif kind == "server-close":
            time.sleep(c["pause"])
            conn.close()
        elif kind == "simultaneous":
            deadline = struct.unpack("!d", conn.recv(8, socket.MSG_WAITALL))[0]
            time.sleep(max(0.0, deadline - time.time()))
            conn.close()
        elif kind == "abort-client" or kind == "unread-client":
            events.append(wait_for_peer_end(conn))
            conn.close()
        elif kind == "abort-server":
            recv_exact(conn, 1)                  # the client has all the data
            linger0(conn)
            conn.close()
        elif kind == "unread-server":
            # The client sends a few bytes that are never read: close() with
            # them in the receive queue makes the kernel send RST (RFC 9293
            # section 3.6, "data lost").
            if not wait_readable(conn, IO_TIMEOUT):
                events.append("no-unread-data")
            time.sleep(0.01)
            conn.close()
    except (OSError, EOFError) as e:
        events.append("error:%s" % e.__class__.__name__)
        conn.close()
    return events


def run_server(args, plan):
    by_port = {c["cport"]: c for c in plan}
    log = open(args.log, "w", buffering=1)
    lock = threading.Lock()
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind((args.addr, args.port))
    lst.listen(256)
    lst.settimeout(0.5)
    open(args.ready_file, "w").close()

    def handle(conn, peer):
        c = by_port.get(peer[1])
        if c is None:
            conn.close()
            events = ["unplanned"]
        else:
            events = serve(conn, c)
        with lock:
            log.write(json.dumps({"cport": peer[1], "events": events}) + "\n")

    threads = []
    while not os.path.exists(args.stop_file):
        try:
            conn, peer = lst.accept()
        except socket.timeout:
            continue
        t = threading.Thread(target=handle, args=(conn, peer), daemon=True)
        t.start()
        threads.append(t)
    lst.close()
    for t in threads:
        t.join(IO_TIMEOUT * 3)


# ------------------------------------------------------------------ client

def client_one(args, c, t0):
    time.sleep(max(0.0, t0 + c["start"] - time.monotonic()))
    kind, events = c["kind"], []
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.client_addr, c["cport"]))
    if kind == "keepalive":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 8)
    sock.settimeout(30.0 if kind == "refused" else IO_TIMEOUT)
    port = args.closed_port if kind == "refused" else args.port
    try:
        sock.connect((args.server, port))
        events.append("connected")
        sock.settimeout(IO_TIMEOUT)
        sock.sendall(payload(c["request"], b"client data "))
        if kind == "abort-client" and c["early"]:
            linger0(sock)
            sock.close()
            return events
        if kind == "half-close":
            sock.shutdown(socket.SHUT_WR)
            recv_until_eof(sock)
            sock.close()
            return events
        if kind == "unread-client":
            # Close with the server's answer still unread: the kernel sends RST.
            if not wait_readable(sock, IO_TIMEOUT):
                events.append("nothing-unread")
            time.sleep(0.01)
            sock.close()
            return events
        recv_exact(sock, c["response"])
        if kind in ("client-close",):
            time.sleep(c["pause"])
            sock.close()
        elif kind == "keepalive":
            time.sleep(KEEPALIVE_IDLE)
            sock.close()
        elif kind == "server-close":
            recv_until_eof(sock)
            time.sleep(c["pause"])
            sock.close()
        elif kind == "simultaneous":
            deadline = time.time() + 0.3
            sock.sendall(struct.pack("!d", deadline))
            time.sleep(max(0.0, deadline - time.time()))
            sock.close()
        elif kind == "abort-client":
            time.sleep(c["pause"])
            linger0(sock)
            sock.close()
        elif kind == "abort-server":
            sock.sendall(b"K")
            events.append(wait_for_peer_end(sock))
            sock.close()
        elif kind == "unread-server":
            sock.sendall(payload(1 + c["index"] % 500, b"never read "))
            events.append(wait_for_peer_end(sock))
            sock.close()
    except ConnectionRefusedError:
        events.append("refused")
        sock.close()
    except (OSError, EOFError) as e:
        events.append("error:%s" % e.__class__.__name__)
        sock.close()
    return events


def run_client(args, plan):
    log = open(args.log, "w", buffering=1)
    lock = threading.Lock()
    sem = threading.BoundedSemaphore(args.parallel)
    t0 = time.monotonic()

    def worker(c):
        try:
            events = client_one(args, c, t0)
        finally:
            sem.release()
        with lock:
            log.write(json.dumps({"cport": c["cport"], "kind": c["kind"], "events": events}) + "\n")

    threads = []
    for c in plan:
        time.sleep(max(0.0, t0 + c["start"] - time.monotonic()))
        sem.acquire()
        t = threading.Thread(target=worker, args=(c,), daemon=True)
        t.start()
        threads.append(t)
    for t in threads:
        t.join(60)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("role", choices=("plan", "server", "client"))
    ap.add_argument("--seed", type=int)
    ap.add_argument("--connections", type=int)
    ap.add_argument("--out")
    ap.add_argument("--plan")
    ap.add_argument("--addr")
    ap.add_argument("--server")
    ap.add_argument("--client-addr")
    ap.add_argument("--port", type=int)
    ap.add_argument("--closed-port", type=int)
    ap.add_argument("--parallel", type=int, default=32)
    ap.add_argument("--log")
    ap.add_argument("--ready-file")
    ap.add_argument("--stop-file")
    args = ap.parse_args()
    if args.role == "plan":
        with open(args.out, "w") as f:
            json.dump(make_plan(args.seed, args.connections), f, indent=0)
        return
    with open(args.plan) as f:
        plan = json.load(f)
    if args.role == "server":
        run_server(args, plan)
    else:
        run_client(args, plan)


if __name__ == "__main__":
    sys.exit(main())
