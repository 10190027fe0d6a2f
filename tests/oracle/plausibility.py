#!/usr/bin/env python3
"""Plausibility oracle: does the plugin tell a possible story on every capture?

    tests/oracle/plausibility.py PATH/TO/tcpstate.so [CAPTURE ...]
        [--examples N] [--quiet] [--print-pairs]

Without captures it reads every capture the project holds (sample-pcaps/*.pcap,
tests/**/*.pcap*) and the peer corpus (../shared/corpus/wireshark/*,
../shared/corpus/zeek/traces/*; tshark reads the gzipped ones directly).

The oracle reads only what tshark prints: the raw TCP header fields (tcp.stream,
tcp.flags, tcp.seq_raw, tcp.ack_raw, tcp.len, ports, frame.time_epoch) and the
plugin's own tcpstate.* fields and expert infos (docs/fields.md). It knows
nothing of the tracker's code: it checks the story the plugin tells against
RFC 9293 and the wire model of docs/spec.md (the project's copy of the
contract; ../shared/SPEC.md until it lands), with the rules of docs/oracle.md:

  1 sender    the sender's state cannot send what it sent
  2 pair      the two endpoints' states contradict each other
  3 correction a state moved in a way no RFC 9293 edge and no evidence rule allows
  4 attempt   a repeated SYN, SYN-ACK or FIN without an attempt number
  5 sanity    a segment without a tree, role/step/sender inconsistencies

Prints, per capture, the count per rule and examples (frame, stream and what
the plugin said), then the totals. Exit status: 0 when no capture has an
impossible segment, 1 when one has, 2 when the oracle could not run (the
plugin did not load, tshark failed, or a capture with TCP got no tcpstate
output): it fails closed.
"""
import argparse
import re
import concurrent.futures
import glob
import os
import subprocess
import sys
import time
from collections import deque

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "..", "shared", "corpus")

# ---------------------------------------------------------------------------
# Running tshark. Every call goes through this one function, so that the
# harness that loads a given build (today scripts/tshark-with-plugin) can be
# swapped in one place.

TSHARK_RUNNER = os.environ.get("TCPSTATE_TSHARK_RUNNER",
                               os.path.join(ROOT, "scripts", "tshark-with-plugin")).split()


def run_tshark(plugin, args):
    """Runs tshark with the build `plugin` loaded; returns (rc, stdout, stderr)."""
    proc = subprocess.run(TSHARK_RUNNER + [plugin] + list(args), capture_output=True,
                          text=True, errors="replace")
    return proc.returncode, proc.stdout, proc.stderr


# ---------------------------------------------------------------------------
# States and the knowledge each one implies (RFC 9293 section 3.3.2, figure 5).

CLOSED, LISTEN, SYN_SENT, SYN_RCVD, ESTAB = (
    "CLOSED", "LISTEN", "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED")
FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT = (
    "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT")
STATES = (CLOSED, LISTEN, SYN_SENT, SYN_RCVD, ESTAB, FIN_WAIT_1, FIN_WAIT_2,
          CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT)

# Synchronized states (RFC 9293 section 3.5): the endpoint has received the
# peer's SYN and its own SYN was acknowledged; only these send data or
# acknowledge the peer's data.
SYNCHRONIZED = {ESTAB, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT}
# States in which the endpoint has received the peer's FIN (section 3.10.7.4,
# eighth check): CLOSE-WAIT and LAST-ACK (passive close), CLOSING and
# TIME-WAIT (active close). CLOSED is left out: it follows a close as well as
# an RST or the start of a connection.
RCVD_FIN = {CLOSE_WAIT, LAST_ACK, CLOSING, TIME_WAIT}
# States in which the endpoint has sent its own FIN (section 3.10.4, CLOSE).
SENT_FIN = {FIN_WAIT_1, FIN_WAIT_2, CLOSING, LAST_ACK, TIME_WAIT}
# ... and in which that FIN is acknowledged (section 3.10.7.4, fifth check).
FIN_ACKED = {FIN_WAIT_2, TIME_WAIT}
# The states an endpoint is in just after sending a FIN: its FIN cannot be
# acknowledged yet (else it would not send it again).
AFTER_FIN = {FIN_WAIT_1, CLOSING, LAST_ACK}
# Pre-states from which a FIN can be sent: CLOSE in SYN-RECEIVED, ESTABLISHED
# or CLOSE-WAIT (section 3.10.4), a retransmission from the states after it.
FIN_FROM = {SYN_RCVD, ESTAB, CLOSE_WAIT} | AFTER_FIN
# States that send nothing but a SYN or an RST: the endpoint knows no peer ISN
# (section 3.10.7.1 and 3.10.7.2 answer anything else with an RST, and
# section 3.10.7.3: SYN-SENT queues data until ESTABLISHED).
NO_ACK_SENDERS = {CLOSED, LISTEN, SYN_SENT}
# States that may send new or retransmitted data (section 3.10.2, SEND; a
# closing endpoint retransmits data below its FIN until it is acknowledged).
DATA_SENDERS = {ESTAB, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK}


def _model_sends(ep):
    """The segments an abstract endpoint can send and its state after.

    ep = (state, received peer SYN, received peer FIN); a segment is
    (SYN, FIN, ACK covers the peer's SYN, ACK covers the peer's FIN): what an
    ack number tells, independent of data. RSTs are left out; they are
    added as a closure in reachable_pairs()."""
    st, rs, rf = ep
    out = []
    if st in (CLOSED, LISTEN) and not rs:             # OPEN, or SEND in LISTEN (3.10.1, 3.10.2)
        out.append(((SYN_SENT, 0, 0), (1, 0, 0, 0)))
    if st == SYN_SENT:                                 # SYN retransmission
        out.append((ep, (1, 0, 0, 0)))
    if st == SYN_RCVD:                                 # SYN-ACK; CLOSE sends a FIN (3.10.4)
        out.append((ep, (1, 0, 1, 0)))
        out.append(((FIN_WAIT_1, rs, rf), (0, 1, 1, rf)))
    if st == ESTAB:
        out.append(((FIN_WAIT_1, rs, rf), (0, 1, 1, rf)))
    if st == CLOSE_WAIT:
        out.append(((LAST_ACK, rs, rf), (0, 1, 1, rf)))
    if st in AFTER_FIN:                                # FIN retransmission
        out.append((ep, (0, 1, 1, rf)))
    if rs and st != CLOSED:                            # ACK (with or without data)
        out.append((ep, (0, 0, 1, rf)))
    return out


def _model_receive(ep, seg):
    """SEGMENT ARRIVES (RFC 9293 section 3.10.7) for the abstract endpoint."""
    st, rs, rf = ep
    syn, fin, ack_syn, ack_fin = seg
    if st == CLOSED:
        return ep
    if syn and not ack_syn:                            # 3.10.7.2, 3.10.7.3 (simultaneous open)
        return (SYN_RCVD, 1, rf) if st in (LISTEN, SYN_SENT) else ep
    if syn:                                            # SYN-ACK: 3.10.7.3, 3.10.7.4 fifth
        return (ESTAB, 1, rf) if st in (SYN_SENT, SYN_RCVD) else ep
    if st in (LISTEN, SYN_SENT) or not ack_syn:        # no ACK: dropped (3.10.7.4 fifth)
        return ep
    if st == SYN_RCVD:
        st = ESTAB
    if ack_fin:                                        # fifth check: our FIN acknowledged
        st = {FIN_WAIT_1: FIN_WAIT_2, CLOSING: TIME_WAIT, LAST_ACK: CLOSED}.get(st, st)
    if fin and st != CLOSED:                           # eighth check
        rf = 1
        st = {ESTAB: CLOSE_WAIT, FIN_WAIT_1: CLOSING, FIN_WAIT_2: TIME_WAIT}.get(st, st)
    return (st, rs, rf)


_PAIRS = None


def reachable_pairs():
    """The (client state, server state) pairs that two RFC 9293 endpoints can
    be in at once, under the wire model with any loss and reordering.

    Explores every run of two abstract endpoints (_model_sends,
    _model_receive) joined by a network that may delay, duplicate or lose
    any segment (a segment once sent can be delivered at any later time, any
    number of times, or never). The endpoints start CLOSED and LISTEN; the
    LISTEN side may open too (simultaneous open). Then:
      - an endpoint can be CLOSED beside any state the other can reach: an
        RST (sent, accepted, or lost), an abort, or TIME-WAIT running out;
      - client and server may be swapped: for a stream whose opening was
        not captured the plugin names the client by port (docs/spec.md).
    The result is small (a few dozen pairs) and computed in well under a
    second."""
    global _PAIRS
    if _PAIRS is not None:
        return _PAIRS
    start = ((CLOSED, 0, 0), (LISTEN, 0, 0), frozenset(), frozenset())
    seen = {start}
    queue = deque([start])
    while queue:
        a, b, ab, ba = queue.popleft()
        nexts = [(na, b, ab | {s}, ba) for na, s in _model_sends(a)]
        nexts += [(a, nb, ab, ba | {s}) for nb, s in _model_sends(b)]
        nexts += [(a, _model_receive(b, s), ab, ba) for s in ab]
        nexts += [(_model_receive(a, s), b, ab, ba) for s in ba]
        for n in nexts:
            if n not in seen:
                seen.add(n)
                queue.append(n)
    pairs = {(a[0], b[0]) for a, b, _, _ in seen}
    singles = {s for p in pairs for s in p}
    pairs |= {(CLOSED, s) for s in singles} | {(s, CLOSED) for s in singles}
    pairs |= {(b, a) for a, b in pairs}
    _PAIRS = frozenset(pairs)
    return _PAIRS


# ---------------------------------------------------------------------------
# Sequence numbers (RFC 9293 section 3.4: comparisons modulo 2^32).

def seq_gt(a, b):
    d = (a - b) & 0xFFFFFFFF
    return d != 0 and d < 0x80000000


FIN_F, SYN_F, RST_F, ACK_F = 0x01, 0x02, 0x04, 0x10

# ---------------------------------------------------------------------------
# The rows: one per tcpstate tree.

RAW_FIELDS = ["frame.number", "frame.time_epoch", "frame.protocols", "tcp.stream",
              "tcp.srcport", "tcp.dstport", "tcp.flags", "tcp.seq_raw", "tcp.ack_raw",
              "tcp.len"]
TREE_FIELDS = ["tcpstate.stream", "tcpstate.sender", "tcpstate.role",
               "tcpstate.client.prev", "tcpstate.client.state",
               "tcpstate.server.prev", "tcpstate.server.state"]
OPTIONAL_FIELDS = ["tcpstate.step", "tcpstate.attempt", "tcpstate.assumed",
                   "tcpstate.summary", "tcpstate.phase"]
# Expert infos that announce a correction of the wire model (docs/fields.md;
# docs/spec.md "When a later segment proves the wire model wrong"). Names the
# build does not register are left out of the query; a build may add more
# under these names.
CORRECTION_NOTES = ["tcpstate.lost_segment", "tcpstate.simultaneous_open",
                    "tcpstate.simultaneous_close", "tcpstate.correction",
                    "tcpstate.crossed", "tcpstate.lost_rst"]
# The Why lines, read only to see a new connection on a stream when the build
# has no expert info for it.
TEXT_FIELDS = ["tcpstate.why"]
OTHER_NOTES = ["tcpstate.time_wait", "tcpstate.odd_flags", "tcpstate.data_after_fin",
               "tcpstate.untracked", "tcpstate.retransmission", "tcpstate.new_connection",
               "tcpstate.after_close", "tcpstate.unexpected"]
SEP, AGG = "\x1f", "\x1e"


class Row:
    """One tcpstate tree and the TCP header it describes."""
    __slots__ = ("frame", "time", "stream", "sport", "dport", "flags", "seq", "ack", "len",
                 "sender", "role", "cprev", "cstate", "sprev", "sstate", "step", "attempt",
                 "assumed", "summary", "why", "phase", "notes")

    def __init__(self, **kw):
        self.step = self.attempt = None
        self.assumed = False
        self.summary = self.why = ""
        self.phase = None
        self.notes = frozenset()
        self.sport = self.dport = None
        for k, v in kw.items():
            setattr(self, k, v)

    # The sender's and its peer's states.
    def prev_of(self, side):
        return self.cprev if side == "client" else self.sprev

    def state_of(self, side):
        return self.cstate if side == "client" else self.sstate

    @property
    def peer(self):
        return "server" if self.sender == "client" else "client"

    def has(self, f):
        return bool(self.flags & f)

    @property
    def syn_only(self):
        return self.has(SYN_F) and not self.has(ACK_F) and not self.has(RST_F)

    @property
    def syn_ack(self):
        return self.has(SYN_F) and self.has(ACK_F) and not self.has(RST_F)

    @property
    def seq_end(self):
        """The sequence number after this segment (data, SYN and FIN each count)."""
        return (self.seq + self.len + (1 if self.has(SYN_F) else 0)
                + (1 if self.has(FIN_F) else 0)) & 0xFFFFFFFF

    @property
    def fin_seq(self):
        return (self.seq + self.len + (1 if self.has(SYN_F) else 0)) & 0xFFFFFFFF

    def story(self):
        s = (f"{self.sender} {self.role}: client {self.cprev}->{self.cstate}, "
             f"server {self.sprev}->{self.sstate}")
        if self.attempt:
            s += f", attempt {self.attempt}"
        notes = sorted(n.split(".", 1)[1] for n in self.notes)
        if notes:
            s += " [" + ",".join(notes) + "]"
        return s


def _split(value):
    return value.split(AGG) if value != "" else []


def parse_rows(text, fields):
    """Rows from `tshark -T fields` output; also the frames that carry TCP
    headers but no tree (returned as (frame, number of missing trees))."""
    rows, missing = [], []
    idx = {f: i for i, f in enumerate(fields)}
    notes = [f for f in fields
             if f not in RAW_FIELDS + TREE_FIELDS + OPTIONAL_FIELDS + TEXT_FIELDS]
    # Not splitlines(): it also splits at the aggregator, \x1e.
    for line in text.split("\n"):
        cols = line.split(SEP)
        if len(cols) != len(fields):
            continue
        get = lambda f: _split(cols[idx[f]]) if f in idx else []
        frame = int(cols[idx["frame.number"]])
        # TCP layers that are segments: not a header quoted in an ICMP error
        # (docs/fields.md: those get no tree).
        protos = cols[idx["frame.protocols"]].split(":")
        quoted, segments = False, 0
        for p in protos:
            if p in ("icmp", "icmpv6"):
                quoted = True
            elif p == "tcp" and not quoted:
                segments += 1
        trees = get("tcpstate.stream")
        untracked = len(get("tcpstate.untracked"))
        if segments > len(trees) + untracked:
            missing.append((frame, segments - len(trees) - untracked))
        if not trees:
            continue
        n = len(trees)
        streams, flags = get("tcp.stream"), get("tcp.flags")
        seqs, acks, lens = get("tcp.seq_raw"), get("tcp.ack_raw"), get("tcp.len")
        sports, dports = get("tcp.srcport"), get("tcp.dstport")

        def pick(vals, i, layer):
            # One value per tree when the counts agree; for a frame with
            # several TCP layers, the layer whose tcp.stream is the tree's.
            if len(vals) == n:
                return vals[i]
            if layer is not None and layer < len(vals):
                return vals[layer]
            return None

        per_tree = {f: get(f) for f in TREE_FIELDS + OPTIONAL_FIELDS + notes}
        for i in range(n):
            layer = streams.index(trees[i]) if trees[i] in streams else None
            try:
                row = Row(frame=frame, time=float(cols[idx["frame.time_epoch"]]),
                          stream=int(trees[i]),
                          flags=int(pick(flags, i, layer), 16),
                          seq=int(pick(seqs, i, layer)), ack=int(pick(acks, i, layer)),
                          len=int(pick(lens, i, layer)))
                sp, dp = pick(sports, i, layer), pick(dports, i, layer)
                row.sport = int(sp) if sp is not None else None
                row.dport = int(dp) if dp is not None else None
            except (TypeError, ValueError):
                missing.append((frame, 0))  # a tree without a readable TCP header
                continue
            vals = {}
            for f in TREE_FIELDS:
                v = per_tree[f]
                vals[f] = v[i] if len(v) == n else None
            row.sender = vals["tcpstate.sender"]
            row.role = vals["tcpstate.role"]
            row.cprev, row.cstate = vals["tcpstate.client.prev"], vals["tcpstate.client.state"]
            row.sprev, row.sstate = vals["tcpstate.server.prev"], vals["tcpstate.server.state"]
            # Optional values and expert infos are only placed when there is
            # one tree (always so on the captures the project holds) or one
            # value per tree.
            for f in OPTIONAL_FIELDS:
                v = per_tree[f]
                if n == 1 or len(v) == n:
                    v = v[i] if v else None
                    if f == "tcpstate.step":
                        row.step = int(v) if v else None
                    elif f == "tcpstate.attempt":
                        row.attempt = int(v) if v else None
                    elif f == "tcpstate.assumed":
                        row.assumed = v in ("1", "True", "TRUE")
                    elif f == "tcpstate.phase":
                        row.phase = v
                    else:
                        row.summary = v or ""
            if n == 1:
                row.why = " ".join(get("tcpstate.why"))
            row.notes = frozenset(f for f in notes if (n == 1 and per_tree[f])
                                  or len(per_tree[f]) == n and per_tree[f][i])
            rows.append(row)
    return rows, missing


# ---------------------------------------------------------------------------
# Per connection: what the raw fields show each side sent, and the times.

class Side:
    def __init__(self):
        self.isn = None          # seq of its first SYN or SYN-ACK
        self.syn_len = 0         # payload carried on that SYN (TCP Fast Open, RFC 7413)
        self.syn_seqs = {}       # (seq, with ACK) -> transmissions
        self.fin_seq = None      # the sequence number its FIN occupies
        self.fin_times = []      # capture times of its FIN transmissions
        self.fin_seqs = {}       # FIN sequence number -> transmissions
        self.fin_acked_at = None  # first capture of a peer ack covering its FIN
        self.synack_acked_at = None  # first capture of a peer ack covering its SYN
        self.high_ack = None
        self.max_end = None      # the highest sequence number after a segment it sent
        self.unseen_fin_seq = None  # a number one below a payload-free segment beyond all it
                                 # sent: taken for a FIN the capture missed (FIN_UNSEEN)
        self.unseen_fin_step = False  # the peer's ack of that number counted as a close step
        self.rtt_min = None      # capture point -> this side -> capture point, smallest seen
        self.rtt_hs = None       # the same, measured in the handshake

    def skips_one(self, r):
        """r, its segment, carries nothing (no payload, SYN, FIN or RST) and
        is numbered one beyond all it sent: the number between was used out
        of the capture's sight, and the plugin takes it for a FIN
        (docs/design.md, FIN_UNSEEN)."""
        return (r.len == 0 and not r.has(SYN_F | FIN_F | RST_F) and self.max_end is not None
                and r.seq == (self.max_end + 1) & 0xFFFFFFFF)


class Finding:
    __slots__ = ("rule", "kind", "frame", "stream", "text")

    def __init__(self, rule, kind, row, text):
        self.rule, self.kind, self.frame, self.stream = rule, kind, row.frame, row.stream
        self.text = text + " | " + row.story()


# A round trip measured once is not the round trip of every later segment
# (delayed ACKs, queues, a busy endpoint): a segment counts as possibly stale
# within this many handshake round trips, plus the clock's resolution. The
# oracle is lenient here on purpose; a correction that moves a state backwards
# is held to the smallest round trip seen instead (Checker.unjustified).
STALE_SLACK = 2.0
CLOCK_SLACK = 0.001

RULES = ("1 sender", "2 pair", "3 correction", "4 attempt", "5 sanity")


def is_new_connection(row):
    """The plugin starts a new connection on the stream's tuple at this row:
    its expert info when the build registers one, else its summary."""
    if "tcpstate.new_connection" in row.notes:
        return True
    return ("new connection" in row.summary
            or "reuses the addresses and ports of a finished connection" in row.why)


class Checker:
    """Applies the rules to the rows of one capture, in frame order."""

    def __init__(self, msl):
        self.msl = msl
        self.findings = []
        self.excused = []

    def fire(self, rule, kind, row, text):
        self.findings.append(Finding(rule, kind, row, text))

    # -- the connections of a stream -------------------------------------
    def check_capture(self, rows):
        by_stream = {}
        for r in rows:
            by_stream.setdefault(r.stream, []).append(r)
        for _, srows in sorted(by_stream.items()):
            conns, cur = [], []
            for r in srows:
                if cur and is_new_connection(r):
                    conns.append(cur)
                    cur = []
                cur.append(r)
            conns.append(cur)
            prev_conn_syns, last = None, None
            for i, crows in enumerate(conns):
                self.check_connection(crows, first_of_stream=(i == 0),
                                      earlier_syns=prev_conn_syns, last=last)
                # Each side's ISNs in this connection: its SYNs, and the
                # SYN a SYN-ACK acknowledges (ack - 1), captured or not.
                prev_conn_syns = {}
                for r in crows:
                    if r.syn_only:
                        prev_conn_syns.setdefault(r.sender, set()).add(r.seq)
                    elif r.syn_ack:
                        prev_conn_syns.setdefault(r.peer, set()).add((r.ack - 1) & 0xFFFFFFFF)
                last = crows[-1]
        return self.findings

    # -- round trips, from the raw fields only ---------------------------
    @staticmethod
    def measure_rtts(rows):
        """Per side, the round trip capture point -> that side -> capture
        point: in the handshake (the SYN-ACK after the latest SYN for the
        server, the first ACK of the SYN-ACK after the latest SYN-ACK for the
        client), and the smallest delay from any segment to its sender's
        peer's first ack of it."""
        sides = {"client": Side(), "server": Side()}
        last_syn = last_synack = None
        ends = {"client": {}, "server": {}}
        for r in rows:
            if r.sender not in sides:
                continue
            me = sides[r.sender]
            if r.syn_only:
                last_syn = r.time
            elif r.syn_ack:
                if last_syn is not None and me.rtt_hs is None and r.time >= last_syn:
                    me.rtt_hs = r.time - last_syn
                last_synack = r.time
            elif (r.has(ACK_F) and not r.has(RST_F) and last_synack is not None
                  and me.rtt_hs is None and r.sender == "client"):
                if r.time >= last_synack:
                    me.rtt_hs = r.time - last_synack
            if r.has(ACK_F) and not r.has(RST_F):
                t0 = ends[r.peer].get(r.ack)
                if t0 is not None and r.time >= t0:
                    d = r.time - t0
                    if me.rtt_min is None or d < me.rtt_min:
                        me.rtt_min = d
            if r.seq_end != r.seq and not r.has(RST_F):
                ends[r.sender].setdefault(r.seq_end, r.time)
        return {s: (v.rtt_hs, v.rtt_min) for s, v in sides.items()}

    def check_connection(self, rows, first_of_stream, earlier_syns, last):
        rtts = self.measure_rtts(rows)

        def rtt(side, low):
            hs, mn = rtts[side]
            vals = [v for v in (hs, mn) if v is not None]
            if not vals:
                return None
            return min(vals) if low else (hs if hs is not None else mn)

        # The stale window: a segment captured less than one round trip after
        # a peer segment may have been sent before that one arrived
        # (docs/spec.md, stale segments). The sum of both sides' handshake
        # round trips bounds either side's.
        parts = [rtt(s, False) for s in ("client", "server")]
        window = sum(p for p in parts if p is not None)
        if window:
            window = STALE_SLACK * window + CLOCK_SLACK

        sides = {"client": Side(), "server": Side()}
        hs_acks = {}
        syn_steps = {}
        td_steps = []
        rst_prev = None        # each side's state before the connection's last RST
        tw_since = {}
        port_sender = {}
        history = []           # (time, side, prev, state) per row and side

        for n, r in enumerate(rows):
            if r.sender not in sides or r.role is None:
                self.fire(RULES[4], "tree without sender or role", r, "no sender or role")
                continue
            me, peer = sides[r.sender], sides[r.peer]
            odd = "tcpstate.odd_flags" in r.notes
            new_conn = n == 0 and not first_of_stream

            # ---- rule 5: sanity -------------------------------------------
            self.check_role(r)
            self.check_phase(r)
            if r.sport is not None and r.sport != r.dport:
                if port_sender.setdefault(r.sport, r.sender) != r.sender:
                    self.fire(RULES[4], "sender flips", r,
                              f"port {r.sport} was the {port_sender[r.sport]} earlier in the stream")
            if r.attempt is not None and r.step is not None:
                self.fire(RULES[4], "step on a retransmission", r,
                          "a retransmission (attempt) has no step (docs/spec.md)")
            if r.role == "handshake-ack":
                # It completes its peer's SYN-RECEIVED, once per connection
                # (each side once in a simultaneous open).
                hs_acks[r.sender] = hs_acks.get(r.sender, 0) + 1
                if hs_acks[r.sender] == 2:
                    self.fire(RULES[4], "second handshake-ack", r,
                              f"a second handshake-ack from the {r.sender} in one connection")
            if r.step is not None and r.role in ("syn", "syn-ack"):
                # One step 1 and one step 2 per side: in a simultaneous open
                # each side's SYN is step 1 and each SYN-ACK step 2 (docs/spec.md).
                if syn_steps.get((r.role, r.sender)):
                    self.fire(RULES[4], f"second {r.role} step", r,
                              f"a second {r.role} with a step from the {r.sender}")
                syn_steps[(r.role, r.sender)] = True
            # Data on the number taken for an unseen FIN withdraws it
            # (FIN_WAS_DATA): a close step its ack had made is void.
            if (r.len > 0 and me.unseen_fin_seq is not None and not seq_gt(r.seq, me.unseen_fin_seq)
                    and seq_gt(r.seq + r.len, me.unseen_fin_seq)):
                if me.unseen_fin_step and td_steps:
                    td_steps.pop()
                me.unseen_fin_seq, me.unseen_fin_step = None, False
            if r.step is not None and r.role in ("fin", "fin+ack-of-fin", "ack-of-fin", "final-ack"):
                if r.step != len(td_steps) + 1:
                    self.fire(RULES[4], "teardown step out of order", r,
                              f"teardown step {r.step} after steps {td_steps}")
                td_steps.append(r.step)
            if n == 0 and first_of_stream:
                start = (r.cprev, r.sprev)
                if start not in ((CLOSED, LISTEN), (SYN_SENT, SYN_RCVD), (ESTAB, ESTAB)):
                    self.fire(RULES[4], "odd starting states", r,
                              "a stream starts CLOSED/LISTEN, or assumed ESTABLISHED "
                              "(SYN-SENT/SYN-RECEIVED from a SYN-ACK)")
                elif (start != (CLOSED, LISTEN)) != r.assumed:
                    self.fire(RULES[4], "assumed flag", r,
                              "tcpstate.assumed must be set exactly when the opening "
                              "was not captured")

            # ---- rule 3a: continuity ----------------------------------------
            if last is not None:
                for side, prev, before in (("client", r.cprev, last.cstate),
                                           ("server", r.sprev, last.sstate)):
                    if prev == before:
                        continue
                    if before == TIME_WAIT and prev == CLOSED and self.tw_expired(r, side, tw_since):
                        continue
                    self.fire(RULES[2], "discontinuity", r,
                              f"{side} prev {prev} but the previous segment (frame "
                              f"{last.frame}) left it {before}")

            # ---- rule 2: the pair ---------------------------------------------
            if (r.cstate, r.sstate) not in reachable_pairs():
                self.fire(RULES[1], f"{r.cstate} beside {r.sstate}", r,
                          f"client {r.cstate} and server {r.sstate} cannot coexist")

            # ---- rule 4: repeated SYN / SYN-ACK / FIN -----------------------
            if (r.has(SYN_F) and not r.has(RST_F)):
                key = (r.seq, r.has(ACK_F))
                count = me.syn_seqs.get(key, 0)
                if count and r.attempt is None and not odd:
                    self.fire(RULES[3], "repeated SYN without attempt" if not r.has(ACK_F)
                              else "repeated SYN-ACK without attempt", r,
                              f"seq {r.seq} was sent {count} time(s) before")
                if new_conn and r.syn_only and r.seq in (earlier_syns or {}).get(r.sender, ()):
                    # Same ISN: a retransmission of that SYN (after an RST
                    # that never reached it), or the SYN of a handshake
                    # captured out of order (docs/spec.md, table of proofs).
                    self.fire(RULES[3], "new connection with the earlier ISN", r,
                              "a SYN with the ISN of the connection before it (its SYN, or "
                              "the ack - 1 of its SYN-ACK) is that connection's, not a new one")
                me.syn_seqs[key] = count + 1
                if r.attempt is not None and count == 0:
                    self.fire(RULES[3], "attempt on a first SYN", r,
                              f"attempt {r.attempt} but seq {r.seq} was not sent before")
            if r.has(FIN_F) and not r.has(RST_F) and not r.has(SYN_F):
                count = me.fin_seqs.get(r.fin_seq, 0)
                if count and r.attempt is None:
                    self.fire(RULES[3], "repeated FIN without attempt", r,
                              f"the FIN at {r.fin_seq} was sent {count} time(s) before")
                if r.attempt is not None and count == 0:
                    self.fire(RULES[3], "attempt on a first FIN", r,
                              f"attempt {r.attempt} but no FIN at {r.fin_seq} before")
                me.fin_seqs[r.fin_seq] = count + 1
            if r.attempt is not None and not (r.has(SYN_F) or r.has(FIN_F)):
                self.fire(RULES[3], "attempt without SYN or FIN", r,
                          "only SYN, SYN-ACK and FIN retransmissions carry an attempt")

            # ---- rules 1 and 3: what the segment shows ----------------------
            if not odd:
                self.check_sender(r, me, peer, history, window)
            self.check_moves(r, me, peer, rtt, window, rst_prev,
                             new_conn or (n == 0 and first_of_stream), tw_since)

            # ---- bookkeeping, from the raw fields ---------------------------
            if r.has(SYN_F) and not r.has(RST_F) and me.isn is None:
                me.isn, me.syn_len = r.seq, r.len
            if r.syn_ack and peer.isn is None:
                # The SYN it answers was not captured: its ack tells that SYN's
                # ISN (any data on it counted as part of it).
                peer.isn = (r.ack - 1) & 0xFFFFFFFF
            if r.has(ACK_F) and not r.has(RST_F):
                if (peer.isn is not None and peer.synack_acked_at is None
                        and seq_gt(r.ack, peer.isn)):
                    peer.synack_acked_at = r.time
                if (peer.fin_seq is not None and peer.fin_acked_at is None
                        and seq_gt(r.ack, peer.fin_seq)):
                    peer.fin_acked_at = r.time
                if me.high_ack is None or seq_gt(r.ack, me.high_ack):
                    me.high_ack = r.ack
            if me.fin_seq is None and me.unseen_fin_seq is None and me.skips_one(r):
                me.unseen_fin_seq = me.max_end
            if (peer.unseen_fin_seq is not None and r.step is not None and r.has(ACK_F)
                    and seq_gt(r.ack, peer.unseen_fin_seq)):
                peer.unseen_fin_step = True
            if not r.has(RST_F) and (me.max_end is None or seq_gt(r.seq_end, me.max_end)):
                me.max_end = r.seq_end
            if r.has(FIN_F) and not r.has(RST_F) and not r.has(SYN_F):
                if me.fin_seq is None:
                    me.fin_seq = r.fin_seq
                me.fin_times.append(r.time)
            if r.has(RST_F):
                rst_prev = {"client": r.cprev, "server": r.sprev}
            for side, prev, state in (("client", r.cprev, r.cstate), ("server", r.sprev, r.sstate)):
                if state == TIME_WAIT and prev != TIME_WAIT:
                    tw_since[side] = r.time
                history.append((r.time, side, prev, state))
            last = r

    # -- rule 5: role against flags (docs/spec.md, the role table) ----------
    def check_role(self, r):
        expect = None
        if r.has(RST_F):
            expect = {"rst"}
        elif r.has(SYN_F):
            expect = {"syn-ack"} if r.has(ACK_F) else {"syn"}
        elif r.has(FIN_F):
            expect = {"fin", "fin+ack-of-fin", "handshake-ack"}
        else:
            expect = {"handshake-ack", "ack-of-fin", "final-ack", "data", "ack"}
        if r.role not in expect:
            self.fire(RULES[4], "role against flags", r,
                      f"flags 0x{r.flags:03x} cannot have role {r.role}")
        elif r.role == "data" and r.len == 0:
            self.fire(RULES[4], "data without payload", r, "role data with tcp.len 0")

    def check_phase(self, r):
        """docs/spec.md: the phase is, by the first rule that fits, reset for
        an rst; handshake for syn, syn-ack, handshake-ack; teardown for the
        teardown roles and while either endpoint was (before it) closing;
        closed when both were CLOSED or TIME-WAIT before it; else data."""
        closing = {FIN_WAIT_1, FIN_WAIT_2, CLOSING, CLOSE_WAIT, LAST_ACK}
        if r.phase is None:
            return
        if r.role == "rst":
            want = "reset"
        elif r.role in ("syn", "syn-ack", "handshake-ack"):
            want = "handshake"
        elif r.role in ("fin", "ack-of-fin", "fin+ack-of-fin", "final-ack") or \
                r.cprev in closing or r.sprev in closing:
            want = "teardown"
        elif r.cprev in (CLOSED, TIME_WAIT) and r.sprev in (CLOSED, TIME_WAIT):
            want = "closed"
        else:
            want = "data"
        if r.phase != want:
            self.fire(RULES[4], "phase", r, f"phase {r.phase}, but the phase rule gives {want}")

    # -- rule 1: can the sender's state send this? ----------------------------
    def can_send(self, state, r, me, peer, after):
        """None if an endpoint in `state` can send r (as the state it is in
        just after sending it when `after`, else the state it sends it
        from), else the reason it cannot."""
        if r.has(RST_F):
            return None  # any state can send an RST (RFC 9293 3.10.7.1, 3.10.5 ABORT)
        if r.syn_only:
            ok = {SYN_SENT, SYN_RCVD} if after else {CLOSED, LISTEN, SYN_SENT, SYN_RCVD}
            return None if state in ok else "a SYN comes from SYN-SENT (or SYN-RECEIVED in a simultaneous open)"
        if r.syn_ack:
            return None if state == SYN_RCVD else "a SYN-ACK is sent from SYN-RECEIVED"
        if state in NO_ACK_SENDERS:
            return f"{state} sends nothing but SYN or RST"
        if r.has(FIN_F):
            ok = AFTER_FIN if after else FIN_FROM
            if state not in ok:
                return f"a FIN leaves its sender in {'/'.join(sorted(AFTER_FIN))}"
        beyond_syn = (peer.isn is not None
                      and seq_gt(r.ack, (peer.isn + 1 + peer.syn_len) & 0xFFFFFFFF))
        if r.len > 0 and state not in DATA_SENDERS:
            # TCP Fast Open (RFC 7413): a server that accepted data on the
            # client's SYN may send data from SYN-RECEIVED, acknowledging no
            # more than that SYN carried.
            tfo = (state == SYN_RCVD and r.sender == "server" and peer.syn_len > 0
                   and not beyond_syn)
            if not tfo:
                return f"{state} sends no data"
        if r.has(ACK_F) and beyond_syn and state not in SYNCHRONIZED:
            return f"{state} acknowledges no peer data (ack beyond the peer's SYN)"
        return None

    def check_sender(self, r, me, peer, history, window):
        # A segment the plugin itself flags as fitting no transition of its
        # sender's state (tcpstate.unexpected: e.g. a SYN-ACK acknowledging
        # a FIN, which no state sends) tells no story about that state: the
        # plugin says it cannot place it, and keeps the state it had.
        if "tcpstate.unexpected" in r.notes and r.state_of(r.sender) == r.prev_of(r.sender):
            return
        s_after = r.state_of(r.sender)
        s_prev = r.prev_of(r.sender)
        why = self.can_send(s_after, r, me, peer, after=True)
        if why is not None and s_after == s_prev and window > 0:
            # Stale: sent before a change of its sender that the capture shows
            # less than one round trip earlier; judge the state it had then.
            for t, side, prev, state in reversed(history):
                if r.time - t > window:
                    break
                if side == r.sender and prev != state and \
                        self.can_send(prev, r, me, peer, after=False) is None:
                    why = None
                    break
        if why is not None:
            self.fire(RULES[0], f"{r.role} from {s_after}", r, why)
        elif s_after in self.sender_edges(s_prev, r) and not (r.notes & set(CORRECTION_NOTES)):
            # It moved along an edge of sending (e.g. CLOSE in SYN-RECEIVED
            # sends a FIN): then it sent this from its state before, which
            # must be able to send it too; else a correction was due.
            why = self.can_send(s_prev, r, me, peer, after=False)
            if why is not None:
                self.fire(RULES[0], f"{r.role} from {s_prev}", r, why)

        # New data beyond the sender's own FIN (RFC 9293 3.10.4: no SEND after
        # CLOSE). The traffic itself is then not TCP; the plugin's warning
        # names it, which is the only story left to tell.
        if (r.len > 0 and me.fin_seq is not None and not r.has(RST_F)
                and seq_gt((r.seq + r.len) & 0xFFFFFFFF, me.fin_seq)):
            if "tcpstate.data_after_fin" in r.notes:
                self.excused.append((r.frame, "data beyond own FIN, flagged by the plugin"))
            else:
                self.fire(RULES[0], "new data after own FIN", r,
                          "data beyond its own FIN without the data_after_fin warning")

        # The ack tells what the sender has received (docs/spec.md).
        if r.has(ACK_F) and not r.has(RST_F) and peer.fin_seq is not None:
            covers = seq_gt(r.ack, peer.fin_seq)
            if covers and s_after not in RCVD_FIN and s_after != CLOSED:
                self.fire(RULES[0], f"ack of FIN from {s_after}", r,
                          "its ack covers the peer's FIN, so it received that FIN")
            if not covers and s_after in RCVD_FIN:
                last_fin = max((t for t in peer.fin_times if t <= r.time), default=None)
                if last_fin is None or r.time - last_fin > window:
                    self.fire(RULES[0], f"no ack of FIN from {s_after}", r,
                              "its ack does not cover the peer's FIN, captured more than "
                              "one round trip earlier")

    # -- rule 3b/3c: every move is an RFC 9293 edge or a justified correction --
    def tw_expired(self, r, side, tw_since):
        """TIME-WAIT ran out before r (RFC 9293 3.10.8), and the plugin says so."""
        return ("tcpstate.time_wait" in r.notes and side in tw_since
                and r.time - tw_since[side] > 2 * self.msl - 1e-6)

    def check_moves(self, r, me, peer, rtt, window, rst_prev, fresh, tw_since):
        corrected = r.notes & set(CORRECTION_NOTES)
        for side in ("client", "server"):
            prev, state = r.prev_of(side), r.state_of(side)
            if prev == state:
                continue
            sending = side == r.sender
            if prev == TIME_WAIT and state == CLOSED and self.tw_expired(r, side, tw_since):
                continue
            if fresh and is_new_connection(r) or (fresh and r.role in ("syn", "syn-ack")):
                # A new connection on the tuple starts over (docs/spec.md):
                # its opener CLOSED -> SYN-SENT, the other side SYN-RECEIVED,
                # or ESTABLISHED when it receives a SYN-ACK.
                ok = {SYN_SENT, SYN_RCVD} if sending else {SYN_RCVD, ESTAB, SYN_SENT}
                if state in ok:
                    continue
            if sending:
                edges = self.sender_edges(prev, r)
            else:
                edges = self.receiver_edges(prev, r, receiver=peer)
            if state in edges:
                continue
            if not sending and corrected and self.fin_was_data(prev, state, r, me):
                continue
            if not sending:
                if r.has(RST_F):
                    why = ("it does not accept this RST (SYN-SENT: only with an ACK of its SYN; "
                           "else only at the next sequence number it expects; RFC 5961)")
                elif not r.has(ACK_F) and not r.has(SYN_F):
                    why = "a segment without ACK is dropped (RFC 9293 3.10.7.4, fifth check)"
                else:
                    why = "no RFC 9293 3.10.7 edge does that"
                self.fire(RULES[2], f"receiver {prev} -> {state}", r,
                          f"receiving this cannot move the {side} {prev} -> {state}: {why}; "
                          "and no evidence rule corrects a receiver")
                continue
            if not corrected:
                self.fire(RULES[2], f"unannounced {prev} -> {state}", r,
                          f"{side} {prev} -> {state} is no RFC 9293 edge of sending this, "
                          "and no correction note says why")
            why = self.unjustified(prev, state, r, me, peer, rtt, window, rst_prev)
            if why:
                self.fire(RULES[2], f"unjustified {prev} -> {state}", r, why)

    # A receiver that had been given the sender's FIN, without it: the same
    # close, the peer's FIN taken out (RFC 9293 section 3.3.2).
    UNRECEIVED = {CLOSE_WAIT: ESTAB, LAST_ACK: FIN_WAIT_1, CLOSED: FIN_WAIT_2,
                  CLOSING: FIN_WAIT_1, TIME_WAIT: FIN_WAIT_2}

    @classmethod
    def fin_was_data(cls, prev, state, r, me):
        """The one evidence rule that corrects a receiver (docs/design.md,
        FIN_WAS_DATA): data from a sender with no captured FIN, on the number
        the model took for its unseen FIN, shows the receiver's ack of that
        number acknowledged a byte of data: it never had a FIN."""
        return (r.len > 0 and not r.has(FIN_F) and not r.has(RST_F) and me.fin_seq is None
                and cls.UNRECEIVED.get(prev) == state)

    @staticmethod
    def sender_edges(prev, r):
        """States the sender can be in after sending r from prev (RFC 9293
        3.10.1 OPEN, 3.10.2 SEND in LISTEN, 3.10.4 CLOSE, 3.10.5 ABORT)."""
        if r.has(RST_F):
            return {CLOSED}
        if r.syn_only:
            return {SYN_SENT} if prev in (CLOSED, LISTEN) else set()
        if r.has(FIN_F) and not r.has(SYN_F):
            return {ESTAB: {FIN_WAIT_1}, SYN_RCVD: {FIN_WAIT_1},
                    CLOSE_WAIT: {LAST_ACK}}.get(prev, set())
        return set()

    @staticmethod
    def receiver_edges(prev, r, receiver):
        """States the receiver can be in after receiving r in prev (RFC 9293
        3.10.7, checks in the RFC's order: RST, SYN, ACK, FIN); `receiver`
        holds what the receiver sent.
        Where the capture does not show what an ack must cover (a SYN or FIN
        not captured), both outcomes are allowed."""
        acks = r.has(ACK_F)

        def covers(seq):
            """True, False, or None when seq is unknown."""
            return None if seq is None else seq_gt(r.ack, seq)

        if r.has(RST_F):
            # RST acceptance (docs/spec.md; RFC 9293 3.10.7.2-3.10.7.4 with
            # RFC 5961 section 3): LISTEN ignores it; SYN-SENT takes it only
            # with an ACK of its SYN; the others only when its sequence
            # number is exactly their RCV.NXT, which is at least the highest
            # ack they sent.
            if prev in (LISTEN, CLOSED):
                return set()
            if prev == SYN_SENT:
                ok = acks and covers(receiver.isn) is not False
                return {CLOSED} if ok else set()
            if receiver.high_ack is not None and seq_gt(receiver.high_ack, r.seq):
                return set()
            return {CLOSED}
        if r.syn_only:
            # LISTEN and SYN-SENT (3.10.7.2, 3.10.7.3). The SPEC takes the
            # server to listen before any SYN arrives; after it refused a SYN
            # (RST) the plugin shows it CLOSED, and a repeated SYN meets the
            # same listener, or none: CLOSED is allowed too.
            return {SYN_RCVD} if prev in (LISTEN, SYN_SENT, CLOSED) else set()
        if r.syn_ack:
            ok = prev in (SYN_SENT, SYN_RCVD) and covers(receiver.isn) is not False
            return {ESTAB} if ok else set()
        if prev in (CLOSED, LISTEN, SYN_SENT) or not acks:
            # Without ACK a segment is dropped (3.10.7.4, fifth check).
            return set()
        states = {prev}
        if prev == SYN_RCVD and covers(receiver.isn) is not False:
            states = {ESTAB}
        fin_acked = covers(receiver.fin_seq)
        if fin_acked is not False:
            moved = {FIN_WAIT_1: FIN_WAIT_2, CLOSING: TIME_WAIT, LAST_ACK: CLOSED}
            states = states | {moved.get(s, s) for s in states} if fin_acked is None else \
                {moved.get(s, s) for s in states}
        if r.has(FIN_F):
            on_fin = {ESTAB: CLOSE_WAIT, SYN_RCVD: CLOSE_WAIT, FIN_WAIT_1: CLOSING,
                      FIN_WAIT_2: TIME_WAIT}
            states = {on_fin.get(s, s) for s in states}
        return states - {prev}

    def unjustified(self, prev, state, r, me, peer, rtt, window, rst_prev):
        """Why a correction of the sender prev -> state has no evidence in the
        raw fields (docs/spec.md, the table of proofs), or None."""
        if rst_prev is not None and prev == CLOSED and not r.has(RST_F):
            # The RST never reached it: back to where it was before the RST
            # - or to SYN-RECEIVED when its ack covers only the peer's SYN
            # although the peer sent data after it: the handshake-ack with
            # that data never reached it either (docs/design.md, the table
            # of proofs: LOST_HANDSHAKE_ACK).
            acks_only_syn = (r.has(ACK_F) and peer.isn is not None and peer.max_end is not None
                             and r.ack == (peer.isn + 1) % 2**32 and seq_gt(peer.max_end, r.ack))
            if state == SYN_RCVD and acks_only_syn:
                return None
            if state != rst_prev[r.sender] and state not in (SYN_SENT,):
                return (f"after an RST, the {r.sender} goes back to the state it had before "
                        f"it ({rst_prev[r.sender]}), not {state}")
            return None
        if r.has(ACK_F) and not r.has(RST_F) and peer.fin_seq is not None and state != CLOSED:
            covers = seq_gt(r.ack, peer.fin_seq)
            # Not covering it is no proof while the peer's FIN may still be
            # on its way (crossing FINs: it arrives after this was sent).
            last_fin = max((t for t in peer.fin_times if t <= r.time), default=None)
            crossing = last_fin is not None and r.time - last_fin <= window
            if covers and state not in RCVD_FIN or not covers and state in RCVD_FIN and not crossing:
                return (f"its ack {'covers' if covers else 'does not cover'} the peer's FIN, "
                        f"so it is not {state}")
        if (r.has(ACK_F) and peer.fin_seq is None and peer.max_end is not None
                and state in RCVD_FIN and not seq_gt(r.ack, peer.max_end)
                and not (peer.unseen_fin_seq is not None and seq_gt(r.ack, peer.unseen_fin_seq))):
            return (f"the peer sent no FIN that its ack covers (it acknowledges nothing beyond "
                    f"what the capture shows), so it is not {state}")
        if r.has(ACK_F) and not r.has(SYN_F) and state in NO_ACK_SENDERS:
            return f"a segment with ACK shows its sender has the peer's SYN: not {state}"
        if state != CLOSED:
            sent_fin = me.fin_seq is not None or r.has(FIN_F) or me.skips_one(r)
            if sent_fin != (state in SENT_FIN):
                return f"it has {'sent' if sent_fin else 'not sent'} a FIN: not {state}"
        if r.has(FIN_F) and state in FIN_ACKED:
            return f"it sends its FIN again, so that FIN is not acknowledged: not {state}"
        if r.syn_only and state not in (SYN_SENT, SYN_RCVD):
            return f"a SYN without ACK comes from SYN-SENT or SYN-RECEIVED, not {state}"
        if r.syn_ack and state != SYN_RCVD:
            return f"a SYN-ACK comes from SYN-RECEIVED, not {state}"
        # Backward moves by a repeated segment: only when it came more than
        # one round trip after what it would have crossed (docs/spec.md).
        small = rtt(r.sender, True)

        def repeat(what, first, own, acked_at, acked_by):
            if first is not None and own != first:
                return f"the {what} is not a repeat of the earlier one"
            if small is not None and acked_at is not None and r.time - acked_at <= small:
                return (f"the {what} came within one round trip of {acked_by}: they crossed, "
                        "nothing changes")
            return None

        why = None
        if r.syn_ack and prev in SYNCHRONIZED:
            why = repeat("SYN-ACK", me.isn, r.seq, me.synack_acked_at, "the handshake-ack")
        elif r.syn_only and prev in SYNCHRONIZED:
            why = repeat("SYN", me.isn, r.seq, None, None)
        elif r.has(FIN_F) and prev in FIN_ACKED | {CLOSED}:
            why = repeat("FIN", me.fin_seq, r.fin_seq, me.fin_acked_at, "the ack of it")
        if why:
            return why
        if prev in RCVD_FIN and state not in RCVD_FIN and peer.fin_times:
            if small is not None and r.time - peer.fin_times[0] <= small:
                return ("captured within one round trip of the peer's FIN: they crossed, "
                        "nothing changes")
        return None


# ---------------------------------------------------------------------------
# Running the whole check.

def default_captures():
    pats = [os.path.join(ROOT, "sample-pcaps", "*.pcap"),
            os.path.join(ROOT, "tests", "**", "*.pcap*"),
            os.path.join(CORPUS, "wireshark", "*"),
            os.path.join(CORPUS, "zeek", "traces", "*")]
    out = []
    for p in pats:
        out += sorted(f for f in glob.glob(p, recursive=True) if os.path.isfile(f))
    return out


# Dissector preferences that some captures need to show their TCP at all.
CAPTURE_OPTIONS = {"Teredo.pcap": ["-o", "teredo.heuristic_teredo:TRUE"]}

# Known differences of a Wireshark version, each named with its reason and
# printed when it applies (never silently): the capture is not judged there.
KNOWN_VERSION_DIFFERENCES = {
    ("4.4", "cisco-fabric-path.pcap"):
        "Wireshark 4.4's TCP dissector still hands out (through its tap) the 16-byte headers "
        "that the IP length cuts short, without tcp.len; tcpstate tracks them in one pass "
        "while the two-pass and 4.0 runs flag them untracked: an open 4.4 difference",
}


def tshark_minor():
    out = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout
    m = re.search(r"TShark \(Wireshark\) (\d+\.\d+)", out)
    return m.group(1) if m else ""


class OracleError(Exception):
    pass


def preflight(plugin):
    """The build under test loaded, and the fields and the MSL it has."""
    rc, out, err = run_tshark(plugin, ["-G", "plugins"])
    if rc != 0 or not any(l.split("\t")[0].strip() == "tcpstate.so" for l in out.splitlines()):
        raise OracleError(f"tshark did not load {plugin}: {err.strip()[:300]}")
    rc, out, err = run_tshark(plugin, ["-G", "fields"])
    registered = {l.split("\t")[2] for l in out.splitlines()
                  if l.startswith("F\t") and len(l.split("\t")) > 2}
    need = [f for f in TREE_FIELDS + OPTIONAL_FIELDS if f not in registered]
    if rc != 0 or need:
        raise OracleError(f"the build does not register {need}")
    fields = RAW_FIELDS + TREE_FIELDS + OPTIONAL_FIELDS
    fields += [f for f in CORRECTION_NOTES + OTHER_NOTES if f in registered]
    if "tcpstate.new_connection" not in registered:
        fields += [f for f in TEXT_FIELDS if f in registered]
    rc, out, err = run_tshark(plugin, ["-G", "currentprefs"])
    msl = None
    for line in out.splitlines():
        line = line.lstrip("#").strip()
        if line.startswith("tcpstate.msl:"):
            msl = float(line.split(":", 1)[1])
    if msl is None:
        raise OracleError("no tcpstate.msl preference")
    return fields, msl


def check_file(plugin, path, fields, msl):
    args = ["-r", path, "-T", "fields", "-E", "separator=" + SEP, "-E", "aggregator=" + AGG,
            "-E", "occurrence=a", "-E", "quote=n"]
    args += CAPTURE_OPTIONS.get(os.path.basename(path), [])
    for f in fields:
        args += ["-e", f]
    rc, out, err = run_tshark(plugin, args)
    # tshark exits 2 on a cut-short capture after printing what it read.
    if rc not in (0, 2) or (rc == 2 and not out):
        raise OracleError(f"tshark failed on {path} ({rc}): {err.strip()[:300]}")
    rows, missing = parse_rows(out, fields)
    tcp_segments = len(rows) + sum(m for _, m in missing)
    if tcp_segments and not rows:
        raise OracleError(f"{path}: TCP segments but no tcpstate output")
    checker = Checker(msl)
    checker.check_capture(rows)
    for frame, m in missing:
        checker.findings.append(Finding(RULES[4], "segment without a tree",
                                        Row(frame=frame, stream=-1, sender="?", role="?",
                                            cprev="?", cstate="?", sprev="?", sstate="?"),
                                        "a TCP segment with no tcpstate tree and no "
                                        "untracked warning"))
    return rows, checker


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("plugin")
    ap.add_argument("captures", nargs="*")
    ap.add_argument("--examples", type=int, default=3, help="examples per kind and capture")
    ap.add_argument("--quiet", action="store_true", help="only captures with findings")
    ap.add_argument("--jobs", type=int, default=2, help="tshark runs at once (default 2)")
    ap.add_argument("--print-pairs", action="store_true",
                    help="print the table of possible (client, server) state pairs")
    a = ap.parse_args(argv)
    if a.print_pairs:
        pairs = reachable_pairs()
        short = dict(zip(STATES, ("CL", "LI", "SS", "SR", "ES", "F1", "F2", "CW", "CG", "LA", "TW")))
        print("client \\ server " + " ".join(short[s] for s in STATES))
        for c in STATES:
            print(f"{c:12} {short[c]:2} " + " ".join(" x" if (c, s) in pairs else " ." for s in STATES))
        return 0
    plugin = os.path.abspath(a.plugin)
    captures = a.captures or default_captures()
    minor = tshark_minor()
    for path in list(captures):
        why = KNOWN_VERSION_DIFFERENCES.get((minor, os.path.basename(path)))
        if why:
            print(f"SKIPPED {os.path.basename(path)} on Wireshark {minor}: {why}")
            captures.remove(path)
    t0 = time.time()
    try:
        fields, msl = preflight(plugin)
    except OracleError as e:
        print(f"plausibility: {e}", file=sys.stderr)
        return 2
    totals = {r: 0 for r in RULES}
    kinds = {}
    bad_total = seg_total = 0
    failed_captures = 0
    with concurrent.futures.ThreadPoolExecutor(max(1, a.jobs)) as pool:
        results = [pool.submit(check_file, plugin, p, fields, msl) for p in captures]
        try:
            results = [r.result() for r in results]
        except OracleError as e:
            print(f"plausibility: {e}", file=sys.stderr)
            return 2
    for path, (rows, checker) in zip(captures, results):
        name = os.path.relpath(os.path.abspath(path), ROOT)
        if name.startswith(".." + os.sep + "shared" + os.sep):
            name = name[len(".." + os.sep + "shared" + os.sep):]
        fs = checker.findings
        frames = {f.frame for f in fs}
        seg_total += len(rows)
        bad_total += len(frames)
        per_rule = {r: len({f.frame for f in fs if f.rule == r}) for r in RULES}
        for r in RULES:
            totals[r] += per_rule[r]
        if frames:
            failed_captures += 1
        if a.quiet and not frames:
            continue
        counts = " ".join(f"{r.split()[1]}={per_rule[r]}" for r in RULES)
        print(f"{name}: {len(rows)} segments, {len(frames)} impossible ({counts})"
              + (f", {len(checker.excused)} excused by the plugin's own warning"
                 if checker.excused else ""))
        shown = {}
        for f in fs:
            key = (f.rule, f.kind)
            kinds.setdefault(key, [0, name, f])
            kinds[key][0] += 1
            shown[key] = shown.get(key, 0) + 1
            if shown[key] <= a.examples:
                print(f"  rule {f.rule}: frame {f.frame} stream {f.stream}: {f.kind}: {f.text}")
        for key, c in shown.items():
            if c > a.examples:
                print(f"  rule {key[0]}: {key[1]}: {c - a.examples} more")
    if captures and not seg_total:
        # Nothing was judged: the oracle would pass on empty output.
        print("plausibility: no TCP segment with a tcpstate tree in any capture", file=sys.stderr)
        return 2
    print()
    print("kinds of impossible story (count, first example):")
    for (rule, kind), (c, name, f) in sorted(kinds.items(), key=lambda kv: (kv[0][0], -kv[1][0])):
        print(f"  rule {rule}: {kind}: {c}; e.g. {name} frame {f.frame}: {f.text}")
    print()
    print("per rule (impossible segments): "
          + ", ".join(f"{r}: {totals[r]}" for r in RULES))
    print(f"total: {bad_total} impossible segments of {seg_total} in {failed_captures} of "
          f"{len(captures)} captures ({time.time() - t0:.1f} s)")
    return 1 if bad_total else 0


if __name__ == "__main__":
    sys.exit(main())
