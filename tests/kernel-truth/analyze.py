#!/usr/bin/python3
"""Compare tcpstate's story of every endpoint with the kernel's (run.sh calls this).

Inputs, all in --out: plan.json (what the workload did), trace.txt (the
tracepoints sock:inet_sock_set_state, tcp:tcp_send_reset and
tcp:tcp_receive_reset), clock-offset.txt (wall clock minus trace clock),
ss.txt (`ss -tan` snapshots of both namespaces, the last ones tagged FINAL at
capture end), nstat-kt-*.txt (counters), fields.tsv, markers.tsv and conv.txt (tshark
with the plugin under test; markers.tsv: the frames the plugin marks as
corrections, with their notes).  Output: every disagreement with enough
detail to debug it, grouped into kinds, the named rules used to read the
plugin's story and how often, then a compact summary.

How the kernel's truth is read (docs/accuracy.md has the reasons):
- an endpoint is a 4-tuple; the client's ports are fixed by the plan, so a
  tuple is one connection, one capture stream and one plan entry;
- the tracepoint shows full sockets only.  A socket that enters TIME-WAIT, or
  is closed by the application in FIN-WAIT-2, is handed to a time-wait
  socket: the tracepoint shows X -> CLOSE, and only `ss` shows the
  time-wait socket's state (TIME-WAIT, or FIN-WAIT-2 until the peer's FIN);
- a listener's request socket (SYN received, SYN-ACK sent) is not traced on
  this kernel: the child appears as LISTEN -> SYN_RECV when the handshake
  completes; a request socket that never completes is seen only by `ss`;
- the leading CLOSED (client) and LISTEN (server) are the contract's starting
  assumptions, not observations: sequences are compared after them;
- a server port without listener (refused) has no socket at all: the
  kernel's sequence for that server is empty and its final state CLOSED;
  the contract's listener model (SYN-RECEIVED > CLOSED) is counted apart.

How the plugin's story is read (plugin_story): only from its output, its
prev/state fields and its own correction markers; every exemption is a
named rule, counted and printed.
"""

import argparse
import collections
import json
import os
import re
import sys

KSTATE = {
    "TCP_ESTABLISHED": "ESTABLISHED", "TCP_SYN_SENT": "SYN-SENT", "TCP_SYN_RECV": "SYN-RECEIVED",
    "TCP_FIN_WAIT1": "FIN-WAIT-1", "TCP_FIN_WAIT2": "FIN-WAIT-2", "TCP_TIME_WAIT": "TIME-WAIT",
    "TCP_CLOSE": "CLOSED", "TCP_CLOSE_WAIT": "CLOSE-WAIT", "TCP_LAST_ACK": "LAST-ACK",
    "TCP_LISTEN": "LISTEN", "TCP_CLOSING": "CLOSING", "TCP_NEW_SYN_RECV": "SYN-RECEIVED",
}
SS_STATE = {"ESTAB": "ESTABLISHED", "SYN-SENT": "SYN-SENT", "SYN-RECV": "SYN-RECEIVED",
            "FIN-WAIT-1": "FIN-WAIT-1", "FIN-WAIT-2": "FIN-WAIT-2", "TIME-WAIT": "TIME-WAIT",
            "CLOSE-WAIT": "CLOSE-WAIT", "LAST-ACK": "LAST-ACK", "CLOSING": "CLOSING"}
TRACE_RE = re.compile(r"\s(\d+\.\d+): inet_sock_set_state: .*?sport=(\d+) dport=(\d+) "
                      r"saddr=([\d.]+) daddr=([\d.]+) .*?oldstate=(\w+) newstate=(\w+)")
ORDERLY = ("four-way", "three-way")


def collapse(states):
    out = []
    for s in states:
        if not out or out[-1] != s:
            out.append(s)
    return out


def arrow(seq):
    return " > ".join(seq) if seq else "(none)"


# ----------------------------------------------------------------- kernel

def read_trace(path, ours):
    """{(laddr, lport, raddr, rport): [(t, old, new)]} for our addresses."""
    events = collections.defaultdict(list)
    with open(path) as f:
        for line in f:
            m = TRACE_RE.search(line)
            if not m:
                continue
            t, sport, dport, saddr, daddr, old, new = m.groups()
            if saddr not in ours or daddr not in ours:
                continue                      # listeners (0.0.0.0 peer) and strangers
            events[(saddr, int(sport), daddr, int(dport))].append(
                (float(t), KSTATE[old], KSTATE[new]))
    return events


SEND_RST_RE = re.compile(r"\s(\d+\.\d+): tcp_send_reset: .*?src=([\d.]+):(\d+) dest=([\d.]+):(\d+)"
                         r".*?reason=(\w+)")
RECV_RST_RE = re.compile(r"\s(\d+\.\d+): tcp_receive_reset: .*?sport=(\d+) dport=(\d+) "
                         r"saddr=([\d.]+) daddr=([\d.]+)")


def read_resets(path, ours):
    """[(t, "sent"|"accepted", endpoint tuple)]: RSTs sent (also by a port
    without socket) and RSTs accepted by a socket's tcp_reset()."""
    out = []
    with open(path) as f:
        for line in f:
            for what, rx in (("sent", SEND_RST_RE), ("accepted", RECV_RST_RE)):
                m = rx.search(line)
                if not m:
                    continue
                g = m.groups()
                if what == "sent":
                    t, sa, sp, da, dp, reason = g
                else:
                    (t, sp, dp, sa, da), reason = g, None
                if sa in ours and da in ours:
                    out.append((float(t), what, (sa, int(sp), da, int(dp)), reason))
    # Linux aborts a closed socket that receives new data by calling
    # tcp_reset() on it itself (reason TCP_ABORT_ON_DATA): that
    # tcp_receive_reset is no RST received.
    aborts = [(t, key) for t, what, key, reason in out if reason == "TCP_ABORT_ON_DATA"]
    return [(t, what, key) for t, what, key, reason in out
            if not (what == "accepted" and any(k == key and abs(t - ta) < 0.001 for ta, k in aborts))]


def clock_offset(path):
    """Wall clock minus trace clock (CLOCK_MONOTONIC), written by run.sh."""
    with open(path) as f:
        return float(f.read())


def challenge_acks(path):
    """RFC 5961 challenge ACKs from `nstat -az` of one namespace: "total
    (of which for a SYN)"; the others answer an RST or an ACK out of window."""
    counts = {}
    try:
        with open(path) as f:
            for line in f:
                p = line.split()
                if len(p) >= 2 and p[0] in ("TcpExtTCPChallengeACK", "TcpExtTCPSYNChallenge"):
                    counts[p[0]] = int(p[1])
    except OSError:
        return "?"
    return "%d (%d for a SYN)" % (counts.get("TcpExtTCPChallengeACK", 0),
                                  counts.get("TcpExtTCPSYNChallenge", 0))


def check_resets(frames, resets, cli_key, srv_key, offset, killed, markers, rules, min_delay):
    """Per captured RST: did its receiver's kernel accept it (this is the last
    RST towards it captured before its tcp_reset()), and did the plugin close
    the receiver at this frame and keep it closed?  A time-wait socket killed
    by an RST (killed[side]) has no tcp_reset(): the last RST towards it
    counts as the accepted one.  Returns [(frame, sender, kernel, plugin, agree)]."""
    out = []
    keys = {"client": cli_key, "server": srv_key}
    for sender in ("client", "server"):
        receiver = "server" if sender == "client" else "client"
        t_acc = [t + offset for t, what, key in resets if what == "accepted" and key == keys[receiver]]
        rsts = [fr for fr in frames if fr[2] == sender and "R" in fr[1]]
        accepted = set()
        if t_acc:
            # It crossed the capture point at least the relay's delay
            # (capture point -> receiver, never less than half_delay) before
            # the receiver took it, and at most that delay plus the relay's
            # jitter (JITTER): any RST captured in that window may be the
            # one (the relay keeps their order, but one may be lost after
            # the capture point); none in it: the last one before it.
            t = min(t_acc)
            window = [fr for fr in rsts if t - min_delay - JITTER <= fr[8] < t - min_delay]
            before = [fr for fr in rsts if fr[8] < t - min_delay]
            accepted = {fr[0] for fr in window} or ({before[-1][0]} if before else set())
        elif killed.get(receiver) and rsts:
            accepted = {rsts[-1][0]}
        i = 4 if receiver == "client" else 6
        # With several candidates, the plugin must close the receiver at one
        # of them (the first it accepts) and keep it closed.
        closed_at = [fr[0] for fr in rsts if fr[0] in accepted and fr[i + 1] == "CLOSED" and fr[i] != "CLOSED"
                     and not rst_withdrawn(frames, fr, receiver, markers)]
        for fr in rsts:
            closed = fr[i + 1] == "CLOSED" and fr[i] != "CLOSED"
            plugin = "receiver %s > %s" % (fr[i], fr[i + 1])
            withdrawn = closed and rst_withdrawn(frames, fr, receiver, markers)
            if withdrawn:
                # The plugin's own LOST_RST correction says this RST never
                # reached its receiver (docs/design.md, "Corrections").
                rules["RST judged with the plugin's later LOST_RST correction of its receiver"] += 1
                closed = False
                plugin += ", withdrawn at frame %d (LOST_RST)" % withdrawn
            # An accepted RST must leave the receiver CLOSED (already closed
            # by an earlier RST is reported there); one not accepted must not
            # be the one that closes it.
            if fr[0] in accepted:
                kernel = "accepted" if len(accepted) == 1 else "accepted (this or another of frames %s)" % (
                    " ".join(map(str, sorted(accepted))))
                ok = closed or fr[i] == "CLOSED" or (len(accepted) > 1 and bool(closed_at))
            else:
                kernel, ok = why_not_accepted(frames, fr, receiver, min(accepted, default=None)), not closed
            out.append((fr[0], sender, kernel, plugin, ok))
    return out


def rst_withdrawn(frames, rst, receiver, markers):
    """The frame at which the plugin withdrew the close this RST made: the
    receiver's next change is a correction withdrawing that CLOSED (else 0)."""
    i = 4 if receiver == "client" else 6
    for fr in frames:
        if fr[0] <= rst[0] or fr[i] == fr[i + 1]:
            continue
        corr = markers.get(fr[0], {}).get("corrections", {}).get(receiver)
        # LOST_RST, or another correction that withdraws that CLOSED (a
        # lost handshake ACK shown by the same challenge ACK).
        return fr[0] if corr and (corr[3] == "LOST_RST" or (corr[0] == "CLOSED" and corr[2] == "withdraw")) else 0
    return 0


def round_trip(frames, receiver):
    """Capture point -> receiver -> capture point, from the handshake, or None."""
    t = {}
    for fr in frames:
        t.setdefault(fr[3], fr[8])
    first, second = ("syn", "syn-ack") if receiver == "server" else ("syn-ack", "handshake-ack")
    return t[second] - t[first] if first in t and second in t else None


def why_not_accepted(frames, rst, receiver, accepted=None):
    """An RST the receiver did not take: answered one round trip later by a
    pure ACK below its sequence number, which is the RFC 5961 challenge ACK
    of a rejected RST or a duplicate ACK of data in flight (the capture
    cannot tell them apart; nstat's TcpExtTCPChallengeACK counts the former);
    below what the receiver already acknowledged: ignored; else lost after
    the capture point."""
    if accepted is not None and accepted < rst[0]:
        return "not accepted (its receiver had taken an earlier RST, frame %d)" % accepted
    acks = [fr[10] for fr in frames if fr[8] < rst[8] and fr[2] == receiver and "A" in fr[1]]
    if acks and rst[9] < acks[-1]:
        # RFC 9293 section 3.10.7.4 / RFC 5961: below the window, ignored.
        return "ignored (below the receiver's window)"
    rtt = round_trip(frames, receiver)
    if rtt is None:
        return "not accepted (lost after the capture point)"
    for fr in frames:
        if fr[8] < rst[8] + 0.8 * rtt:
            continue
        if fr[8] > rst[8] + 3 * rtt + 0.01:
            break
        if fr[2] == receiver and fr[1] == "A" and fr[11] == 0 and fr[10] < rst[9]:
            return "not accepted, rejected? (pure ACK frame %d one round trip later)" % fr[0]
    return "not accepted (lost after the capture point)"


def read_ss(path):
    """{tuple: [states seen, in order]} and {tuple: state at capture end}."""
    seen, final = collections.defaultdict(list), {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) < 7 or parts[2] not in SS_STATE:
                continue
            tag, state = parts[0], SS_STATE[parts[2]]
            la, lp = parts[5].rsplit(":", 1)
            ra, rp = parts[6].rsplit(":", 1)
            key = (la, int(lp), ra, int(rp))
            if tag == "FINAL":
                final[key] = state
            else:
                seen[key].append(state)
    return seen, final


def kernel_story(key, events, ss_seen, ss_final, resets, start):
    """([possible sequences after the starting state], final state, killed).

    Usually one sequence.  A socket handed to a time-wait socket that is gone
    before the end (killed by an RST: Linux does not protect TIME-WAIT,
    net.ipv4.tcp_rfc1337=0) and that no snapshot caught may have been in
    FIN-WAIT-2 or TIME-WAIT: both are given.  killed says that a time-wait
    socket of this endpoint took an RST, which tcp_receive_reset does not see."""
    evs = events.get(key, [])
    seq = [new for _, _, new in evs]
    seen = collapse(ss_seen.get(key, []))
    fin = ss_final.get(key)
    alts, killed = None, False
    rst_at = [t for t, what, k in resets if what == "accepted" and k == key]
    if (evs and evs[-1][2] == "CLOSED" and evs[-1][1] in ("FIN-WAIT-2", "CLOSING")
            and not any(abs(t - evs[-1][0]) < 0.001 for t in rst_at)):
        # Handed to a time-wait socket by tcp_time_wait(); ss shows its
        # state, which only moves FIN-WAIT-2 -> TIME-WAIT -> gone.
        seq.pop()
        tw = [st for st in seen if st in ("FIN-WAIT-2", "TIME-WAIT")]
        if fin in ("FIN-WAIT-2", "TIME-WAIT"):
            tw.append(fin)
        if evs[-1][1] == "CLOSING":
            tw = ["TIME-WAIT"]
        tail = ["CLOSED"] if fin is None else []
        killed = fin is None
        if not tw:
            alts = [collapse(seq + tail), collapse(seq + ["TIME-WAIT"] + tail)]
        seq += tw + tail
    if not evs:
        # Never a full socket: at most a request socket seen by ss.
        seq = [st for st in seen if st == "SYN-RECEIVED"]
        if seq:
            seq.append(fin or "CLOSED")
    alts = alts or [collapse(seq)]
    alts = [x[1:] if x and x[0] == start else x for x in alts]
    # No socket ever: the server's listener never got the SYN (LISTEN).
    final = fin if fin else (alts[0][-1] if alts[0] else start)
    return alts, final, killed


def reset_by(resets, cli_key, srv_key, both_sent_fin):
    """The sender of the first RST that its receiver accepted, else of the
    first RST sent (none reached a socket that took it) unless both sides
    had closed with a FIN (then an RST is only a late answer to a stray
    segment, after the close), else None."""
    sides = {cli_key: "client", srv_key: "server"}
    accepted = [(t, key) for t, what, key in resets if what == "accepted" and key in sides]
    if accepted:
        return "server" if sides[min(accepted)[1]] == "client" else "client"
    sent = [(t, key) for t, what, key in resets if what == "sent" and key in sides]
    return sides[min(sent)[1]] if sent and not both_sent_fin else None


# ----------------------------------------------------------------- plugin

def read_fields(path):
    """{client port: {"stream": n, "frames": [...], "client": [...], "server": [...]}}"""
    streams = {}
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 14 or not p[0].isdigit():
                continue
            frame, epoch = p[0], p[1]
            stream, src, sport, dst, dport, flags, sender, role = p[2:10]
            cprev, cstate, sprev, sstate = p[10:14]
            if not cstate:
                raise SystemExit("frame %s has no tcpstate fields: did the plugin load?" % frame)
            cport = int(sport) if sender == "client" else int(dport)
            s = streams.setdefault(cport, {"stream": int(stream), "frames": []})
            seq, ack, length = (int(x or 0) for x in (p + ["", "", ""])[14:17])
            s["frames"].append((int(frame), flags.replace("\u00b7", ""), sender, role,
                                cprev, cstate, sprev, sstate, float(epoch), seq, ack, length))
    return streams


# RFC 9293's state diagram (section 3.3.2), each edge with the segment that
# makes it: (from, to) -> {"sent"/"received": flags the segment must carry}.
# An accepted RST (received) or an abort (sent) takes any state to CLOSED;
# TIME-WAIT ends by timeout.
EDGES = {
    ("CLOSED", "SYN-SENT"): {"sent": "S"}, ("LISTEN", "SYN-SENT"): {"sent": "S"},
    ("LISTEN", "SYN-RECEIVED"): {"received": "S"}, ("SYN-SENT", "SYN-RECEIVED"): {"received": "S"},
    ("SYN-SENT", "ESTABLISHED"): {"received": "SA"}, ("SYN-RECEIVED", "ESTABLISHED"): {"received": "A"},
    ("SYN-RECEIVED", "FIN-WAIT-1"): {"sent": "F"}, ("SYN-RECEIVED", "LISTEN"): {"received": "R"},
    ("ESTABLISHED", "FIN-WAIT-1"): {"sent": "F"}, ("ESTABLISHED", "CLOSE-WAIT"): {"received": "F"},
    ("FIN-WAIT-1", "FIN-WAIT-2"): {"received": "A"}, ("FIN-WAIT-1", "CLOSING"): {"received": "F"},
    ("FIN-WAIT-2", "TIME-WAIT"): {"received": "F"}, ("CLOSING", "TIME-WAIT"): {"received": "A"},
    ("CLOSE-WAIT", "LAST-ACK"): {"sent": "F"}, ("LAST-ACK", "CLOSED"): {"received": "A"},
    ("TIME-WAIT", "CLOSED"): {"sent": "", "received": ""},
}
REFUSED_MODEL = ["SYN-RECEIVED", "CLOSED"]
# How much later than the relay's fixed delay a frame may reach an endpoint on
# this loaded 2-core machine: the handshake ACK's capture-to-ESTABLISHED delay
# is 2.5-2.8 ms in the median and a few ms more under load (docs/accuracy.md).
JITTER = 0.005
STATES = sorted({x for e in EDGES for x in e} | {"CLOSED"})


def is_edge(a, b):
    return (a, b) in EDGES or (b == "CLOSED" and a != "CLOSED")


def edge_by(a, b, direction, flags):
    """Can this segment make the move a -> b of its sender ("sent") or
    receiver ("received")?"""
    if b == "CLOSED" and a != "CLOSED" and "R" in flags:
        return True
    need = EDGES.get((a, b), {}).get(direction)
    return need is not None and all(f in flags for f in need)


def two_edge_mids(a, b, direction=None, flags=None):
    """The states M with a -> M -> b two RFC edges; with a segment given,
    both moves made by that one segment (RFC 9293 section 3.10.7.4: its ACK,
    then its FIN)."""
    if direction is None:
        return [m for m in STATES if is_edge(a, m) and is_edge(m, b)]
    # ... in that order: a received segment's SYN, then its ACK, then its FIN.
    return [m for m in STATES if edge_by(a, m, direction, flags) and edge_by(m, b, direction, flags)
            and step_rank(a, m, direction) < step_rank(m, b, direction)]


def step_rank(a, b, direction):
    """Where a move comes in RFC 9293's processing of one segment (section
    3.10.7.4: RST and SYN checks, then the ACK field, then the FIN bit)."""
    need = EDGES.get((a, b), {}).get(direction, "R")
    return max("RSAF".index(f) for f in need) if need else 0


# The plugin's corrections (docs/design.md, "Corrections"), by the evidence
# its note gives.  "withdraw": the sender's previous state never happened
# (the segment that seemed to cause it was lost, crossed, or not accepted);
# "unseen": the previous state was real and a move the capture could not see
# (a repeat reaching it out of sight) led on from it.  An evidence text not
# listed here stops the analysis: a new kind of correction needs a rule.
CORRECTION_KINDS = [
    ("its FIN does not acknowledge the %s's FIN: the two FINs crossed", "withdraw", "SIMULTANEOUS_CLOSE"),
    ("it sends a SYN of its own, so it never just listened", "withdraw", "SIMULTANEOUS_OPEN"),
    ("it repeats its SYN, so the %s's SYN+ACK never reached it", "withdraw", "LOST_SYN_ACK"),
    ("it repeats its SYN+ACK, so the %s's ACK of it never reached it", "withdraw", "LOST_HANDSHAKE_ACK"),
    ("its ack covers only the %s's SYN, not the data on the", "withdraw", "LOST_HANDSHAKE_ACK"),
    ("it sends again, so the %s's RST never reached it", "withdraw", "LOST_RST"),
    # A SYN again after an accepted refusal: the RST lost (the model's
    # correction) or a TCP that opens again; the model withdraws the CLOSED.
    ("it sends its SYN again: either the %s's RST was lost", "withdraw", "LOST_RST"),
    ("its ack does not cover the %s's FIN, so that FIN was lost", "withdraw", "LOST_FIN"),
    ("it repeats its FIN, so the %s's final ACK never reached it", "withdraw", "LOST_FINAL_ACK"),
    ("it repeats its FIN, so the %s's ACK of that FIN never reached it", "withdraw", "LOST_ACK_OF_FIN"),
    ("is a closed port's answer: it had aborted before that FIN came", "withdraw", "ABORT_UNSEEN"),
    ("port's answer; TIME-WAIT would acknowledge the FIN: it had no connection then", "withdraw", "ABORT_UNSEEN"),
    ("a SYN+ACK answers a SYN, so the %s's SYN had reached it", "unseen", "SYN_UNSEEN"),
    ("its handshake had completed out of the capture's sight", "unseen", "SYNCHRONIZED"),
    ("its ack covers the %s's FIN, so that FIN or a repeat of it reached it", "unseen", "GOT_UNSEEN_FIN"),
    ("its sequence number is one beyond the data it sent, so it had sent a FIN", "unseen", "FIN_UNSEEN"),
    ("it sends data on the number taken for its unseen FIN", "withdraw", "FIN_WAS_DATA"),
    ("what it acknowledged on the %s's unseen number was a byte of data", "withdraw", "FIN_WAS_DATA"),
    # The summary's short forms (core/describe.c) of the same evidence.
    ("the FINs crossed", "withdraw", "SIMULTANEOUS_CLOSE"),
    ("the SYNs crossed", "withdraw", "SIMULTANEOUS_OPEN"),
    ("its handshake completed unseen", "unseen", "SYNCHRONIZED"),
]
MARKERS = ("lost_segment", "simultaneous_open", "simultaneous_close", "stale", "rst_ignored")
SHOWN_BY_ECHO_RE = re.compile(r"^Shown by the timestamp echo: the (client|server)'s earlier FIN was lost after "
                               r"the capture point; the (client|server) was ")
STATE_CORRECTED_RE = re.compile(r"^State corrected: (client|server) (\S+) \u2192 (\S+): (.*)$")
STEP_CORRECTED_RE = re.compile(r"(client|server) (\S+) \u2192 (\S+) \(corrected: ([^()]*)\)")


def correction_kind(side, evidence):
    peer = "server" if side == "client" else "client"
    for text, how, name in CORRECTION_KINDS:
        if evidence.startswith(text.replace("%s", peer)) or (
                "%s" not in text and text in evidence):
            return how, name
    raise SystemExit("a correction with evidence no rule of analyze.py knows: %r" % evidence)


def read_markers(path):
    """{frame: {"markers": set, "corrections": {side: (from, to, how, name)}}}
    from markers.tsv: frames with a correction marker of the plugin, and the
    "State corrected" notes (lost_segment) or the "(corrected: ...)" of the
    summary (simultaneous_open / simultaneous_close) naming the side."""
    out = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 7 or not p[0].isdigit():
                continue
            marks = {m for m, v in zip(MARKERS, p[1:6]) if v}
            corr = {}
            # The expert messages, then the summary (run.sh's last column).
            for msg in p[6].split("|") + p[7:8]:
                for side, x, y, ev in (STATE_CORRECTED_RE.findall(msg) + STEP_CORRECTED_RE.findall(msg)):
                    corr[side] = (x, y) + correction_kind(side, ev)
            # The answer whose timestamp echo shows a FIN in doubt lost
            # (core/unshown.c, NEW_BY_ECHO): no state moves on it; it names
            # the endpoint that never had the earlier FIN.
            shown = [m.group(2) for msg in p[6].split("|") for m in [SHOWN_BY_ECHO_RE.match(msg)] if m]
            if "lost_segment" in marks and not corr and not shown:
                raise SystemExit("frame %s: lost_segment without a 'State corrected' note" % p[0])
            out[int(p[0])] = {"markers": marks, "corrections": corr,
                              "cannot_show": len(p) > 8 and bool(p[8]),
                              "new_by_echo": shown[0] if shown else None}
    return out


# core/unshown.c: the receiver's state in the other story the plugin names
# where the capture cannot show which segment was lost.
ALTERNATIVE = {"CLOSING": "FIN-WAIT-1", "TIME-WAIT": "FIN-WAIT-2", "CLOSE-WAIT": "ESTABLISHED"}
# core/unshown.c, a passive closer's first FIN in doubt (kind 10): the
# sender's own states in the other story, from the peer's FIN on (its FIN had
# crossed the peer's: FIN-WAIT-1 before that FIN, CLOSING after it).
ALTERNATIVE_CROSSED = {"CLOSE-WAIT": "CLOSING", "LAST-ACK": "CLOSING", "CLOSED": "TIME-WAIT"}


def pfixed_ok_for(palts, kalts):
    return int(any(x in kalts for x in palts))


def echo_settled_frames(frames, side, markers):
    """The frames as the plugin's own later answer has them for this
    endpoint, where its timestamp echo showed that the peer's repeated FIN
    was new to it (core/unshown.c, NEW_BY_ECHO): from the copy of that FIN
    the model had delivered to the first repeat of the run in doubt before
    the answer (receiver_without_fin). None when no answer of this endpoint
    says so."""
    i = 4 if side == "client" else 6
    peer = "server" if side == "client" else "client"
    answer = next((fr for fr in frames if fr[2] == side
                   and markers.get(fr[0], {}).get("new_by_echo") == side), None)
    if answer is None:
        return None
    f = next((fr for fr in reversed(frames) if fr[0] < answer[0] and fr[2] == peer
              and markers.get(fr[0], {}).get("cannot_show")), None)
    if f is None:
        raise SystemExit("frame %d: an echo answer with no repeat in doubt before it" % answer[0])
    # The test is the first repeat's of a run of repeats in doubt (later
    # ones only keep it open: core/tracker.c, echo_doubt_open), and the
    # copy in doubt is the one before that run: the one the model had
    # delivered (a correction may have withdrawn earlier ones).
    end = f[9] + f[11]
    copies = [fr for fr in frames if fr[0] < answer[0] and fr[2] == peer and "F" in fr[1]
              and fr[9] + fr[11] == end]
    k = len(copies) - 1
    while k > 0 and markers.get(copies[k - 1][0], {}).get("cannot_show"):
        k -= 1
    if k == 0:
        raise SystemExit("frame %d: an echo answer with no copy delivered before its repeat" % answer[0])
    out = [list(fr) for fr in frames]
    receiver_without_fin(out, i, copies[k - 1], copies[k])
    return [tuple(fr) for fr in out]


def receiver_without_fin(rows, i, copy, repeat):
    """In rows (lists, changed in place), the endpoint whose states start at
    column i given the other story of a FIN in doubt: from that FIN's copy
    to its repeat, each state replaced by ALTERNATIVE (core/unshown.c)."""
    for fr in rows:
        if copy[0] < fr[0] <= repeat[0]:
            fr[i] = ALTERNATIVE.get(fr[i], fr[i])
        if copy[0] <= fr[0] < repeat[0]:
            fr[i + 1] = ALTERNATIVE.get(fr[i + 1], fr[i + 1])


def unshown_stories(frames, side, markers):
    """The frames as each other story the plugin named has them for this
    endpoint, where it said the capture cannot show which story happened
    (tcpstate.cannot_show): on a repeated FIN of the peer, from that FIN's
    first transmission to the repeat, each state the model gave the
    endpoint replaced by ALTERNATIVE; on the endpoint's own first FIN, from
    the peer's first FIN on, by ALTERNATIVE_CROSSED. An empty list when the
    plugin flagged nothing for this endpoint. Never changes the strict
    numbers: it only tells whether a remaining difference is one the plugin
    itself flagged."""
    i = 4 if side == "client" else 6
    peer = "server" if side == "client" else "client"
    flagged = [fr for fr in frames if fr[2] == peer and markers.get(fr[0], {}).get("cannot_show")]
    stories = []
    if flagged:
        out = [list(fr) for fr in frames]
        for f in flagged:
            end = f[9] + f[11]
            first = next((fr for fr in frames if fr[2] == peer and "F" in fr[1] and fr[9] + fr[11] == end), None)
            if first is None:
                continue
            receiver_without_fin(out, i, first, f)
        stories.append([tuple(fr) for fr in out])
    own = next((fr for fr in frames if fr[2] == side and "F" in fr[1]), None)
    if own is not None and markers.get(own[0], {}).get("cannot_show"):
        pfin = next((fr for fr in frames if fr[2] == peer and "F" in fr[1] and fr[0] < own[0]), None)
        if pfin is not None:
            out = []
            for fr in map(list, frames):
                if fr[0] == pfin[0]:
                    # Its unseen first FIN, sent before the peer's arrived.
                    sent = list(fr)
                    sent[0], sent[1], sent[2], sent[i + 1] = fr[0] - 0.5, "AF", side, "FIN-WAIT-1"
                    out.append(sent)
                    fr[i] = "FIN-WAIT-1"
                if fr[0] > pfin[0]:
                    fr[i] = ALTERNATIVE_CROSSED.get(fr[i], fr[i])
                if fr[0] >= pfin[0]:
                    fr[i + 1] = ALTERNATIVE_CROSSED.get(fr[i + 1], fr[i + 1])
                out.append(fr)
            stories.append([tuple(fr) for fr in out])
    return stories


def plugin_story(frames, side, start, markers, rules):
    """(sequence as shown, [sequences the plugin's story allows], final state,
    [frame: prev > state] changes), the sequences after the starting state.

    As shown: every prev and state in frame order.  The plugin's story: its
    corrections (read from its markers) replace what they withdraw, and a
    move one segment makes in two RFC steps gets its intermediate state.
    Each use of a rule is counted in rules."""
    i = 4 if side == "client" else 6
    shown, changes = [], []
    seq = []         # [tuple of alternative states]
    for fr in frames:
        prev, state, flags = fr[i], fr[i + 1], fr[1]
        shown += [prev, state]
        if not seq:
            seq.append((prev,))
        if prev == state:
            continue
        changes.append("%d:%s>%s" % (fr[0], prev, state))
        direction = "sent" if fr[2] == side else "received"
        corr = markers.get(fr[0], {}).get("corrections", {}).get(side)
        if corr and corr[:2] == (prev, state):
            _, _, how, name = corr
            if how == "withdraw":
                rules["correction withdraws the state it replaces (%s)" % name] += 1
                if seq[-1] == (prev,) and len(seq) > 1:
                    seq.pop()
                if (state,) in seq and name != "ABORT_UNSEEN":
                    # Back to a state shown before: all since was withdrawn.
                    # (Not for an abort: its CLOSED is where every life
                    # ends, not the CLOSED before the SYN.)
                    del seq[len(seq) - seq[::-1].index((state,)):]
                    continue
                while len(seq) > 1 and not (is_edge(seq[-1][0], state) or two_edge_mids(seq[-1][0], state)):
                    rules["correction also withdraws the states it contradicts before it (%s)" % name] += 1
                    seq.pop()
            else:
                rules["correction: a move out of the capture's sight (%s)" % name] += 1
            a = seq[-1][0]
            if not is_edge(a, state):
                mids = two_edge_mids(a, state)
                if mids:
                    rules["correction: the RFC state between, on a path of two edges (%s > %s > %s)" % (
                        a, "|".join(mids), state)] += 1
                    seq.append(tuple(mids))
            seq.append((state,))
        elif corr:
            # A note whose A > B is not this frame's prev > state: nothing
            # is excused, the move stands as shown (and is counted).
            rules["correction note not matching the frame's prev > state (not used)"] += 1
            seq.append((state,))
        elif is_edge(prev, state):
            seq.append((state,))
        else:
            mids = two_edge_mids(prev, state, direction, flags)
            if len(mids) == 1:
                rules["one segment makes two RFC moves (%s > %s > %s)" % (prev, "|".join(mids), state)] += 1
                seq.append(tuple(mids))
            seq.append((state,))
    shown = collapse(shown)
    if shown and shown[0] == start:
        shown = shown[1:]
    alts = [[]]
    for tok in seq:
        alts = [a + [t] for a in alts for t in tok][:64]
    alts = [collapse(a) for a in alts]
    alts = [a[1:] if a and a[0] == start else a for a in alts]
    return shown, alts, (frames[-1][i + 1] if frames else None), changes


def read_conv(path):
    """{client port: closed column} from -z tcpstate,conv."""
    out = {}
    with open(path) as f:
        for line in f:
            p = line.split()
            # "69*": a stream the plugin split into more than one connection
            if len(p) < 8 or not p[0].rstrip("*").isdigit() or ":" not in p[1]:
                continue
            cport = int(p[1].rsplit(":", 1)[1])
            # opened is one word; closed runs until the first state name.
            j = 6 if p[5] in ("three-way", "simultaneous", "partial", "none") else 5
            words = []
            while j < len(p) and not p[j].isupper():
                words.append(p[j])
                j += 1
            # One row per connection the plugin saw: more than one is itself wrong.
            out[cport] = (out[cport] + " + " if cport in out else "") + " ".join(words)
    return out


# ----------------------------------------------------------------- compare

def first_divergence(k, p):
    n = 0
    while n < len(k) and n < len(p) and k[n] == p[n]:
        n += 1
    before = k[n - 1] if n else "start"
    return "after %s: kernel %s, plugin %s" % (
        before, k[n] if n < len(k) else "(end)", p[n] if n < len(p) else "(end)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--client", required=True)
    ap.add_argument("--server", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--closed-port", type=int, required=True)
    ap.add_argument("--seed", default="?")
    ap.add_argument("--loss", default="?")
    a = ap.parse_args()
    d = a.out
    plan = json.load(open(os.path.join(d, "plan.json")))
    events = read_trace(os.path.join(d, "trace.txt"), {a.client, a.server})
    resets = read_resets(os.path.join(d, "trace.txt"), {a.client, a.server})
    offset = clock_offset(os.path.join(d, "clock-offset.txt"))
    rst_n = rst_ok = 0
    ss_seen, ss_final = read_ss(os.path.join(d, "ss.txt"))
    streams = read_fields(os.path.join(d, "fields.tsv"))
    conv = read_conv(os.path.join(d, "conv.txt"))
    markers = read_markers(os.path.join(d, "markers.tsv"))
    # The relay holds every frame half_delay_ms between the capture point and
    # an endpoint (midrelay.py); 0.2 ms less for the two clocks' reading.
    run = dict(line.strip().split("=", 1) for line in open(os.path.join(d, "run.txt")) if "=" in line)
    min_delay = max(0.0, float(run.get("half_delay_ms", "2.5")) - 0.2) / 1000.0
    rules = collections.Counter()
    if not streams or not events:
        raise SystemExit("no plugin output or no kernel events: nothing to compare")

    final_ok = final_n = seq_ok = fixed_ok = seq_n = close_ok = close_n = 0
    flagged_n = flagged_model_ok = 0
    missing = []
    diffs = {"final": [], "sequence": [], "shown": [], "close": [], "rst": []}
    kinds = collections.OrderedDict()
    shown_kinds = collections.OrderedDict()
    per_kind = collections.defaultdict(lambda: [0, 0])
    for c in plan:
        cp, kind = c["cport"], c["kind"]
        sport = a.closed_port if kind == "refused" else a.port
        ckey = (a.client, cp, a.server, sport)
        skey = (a.server, sport, a.client, cp)
        s = streams.get(cp)
        if s is None:
            missing.append(cp)
            continue
        frames = s["frames"]
        where = "stream %d (client port %d, %s, frames %d-%d)" % (
            s["stream"], cp, kind, frames[0][0], frames[-1][0])
        ks, killed = {}, {}
        for side, key, start in (("client", ckey, "CLOSED"), ("server", skey, "LISTEN")):
            if kind == "refused" and side == "server":
                kalts, kfinal, killed[side] = [[]], "CLOSED", False   # no listener, no socket
            else:
                kalts, kfinal, killed[side] = kernel_story(key, events, ss_seen, ss_final, resets, start)
            pseq, palts, pfinal, changes = plugin_story(frames, side, start, markers, rules)
            settled = echo_settled_frames(frames, side, markers)
            if settled is not None:
                # The plugin's own answer replaced those states: its story
                # after corrections (the sequence as shown stays).
                rules["an answer's timestamp echo shows the peer's earlier FIN lost (NEW_BY_ECHO)"] += 1
                _, palts, _, _ = plugin_story(settled, side, start, markers, collections.Counter())
            if kind == "refused" and side == "server" and REFUSED_MODEL in palts:
                # docs/spec.md models the refusing server as a listener that
                # takes the SYN and answers it with an RST (LISTEN >
                # SYN-RECEIVED > CLOSED); Linux has no socket on that port.
                # The contract's model, counted on its own line.
                rules["refused port: the contract's listener model (LISTEN > SYN-RECEIVED > CLOSED), "
                      "the kernel has no socket"] += 1
                kalts = kalts + [REFUSED_MODEL]
            elif (side == "server" and kalts == [[]] and kfinal == "LISTEN"
                  and REFUSED_MODEL in palts and pfinal == "CLOSED"):
                # The same model for a request socket that an RST killed in
                # the handshake: no tracepoint shows a request socket (The
                # truth, docs/accuracy.md), the listener stays LISTEN, and
                # the contract shows the connection's server SYN-RECEIVED >
                # CLOSED (RFC 9293 3.10.7.4 would return it to LISTEN).
                rules["request socket reset in the handshake: the contract's model "
                      "(SYN-RECEIVED > CLOSED), the kernel traces no request socket"] += 1
                kalts, kfinal = kalts + [REFUSED_MODEL], "CLOSED"
            # The kernel's sequence the plugin is compared with: the one it
            # matches when the kernel left two possible (see kernel_story),
            # and the plugin's story that matches it, if any.
            both = [x for x in palts if x in kalts]
            pfixed = both[0] if both else palts[0]
            kseq = pfixed if pfixed in kalts else (pseq if pseq in kalts else kalts[0])
            ks[side] = kseq
            detail = {"where": where, "side": side, "kernel": " | ".join(arrow(x) for x in kalts),
                      "plugin": arrow(pseq), "plugin_corrected": " | ".join(arrow(x) for x in palts),
                      "kernel_final": kfinal, "plugin_final": pfinal,
                      "plugin_changes": " ".join(changes)}
            # Did the plugin say, on this endpoint, that the capture cannot
            # show which story happened, and is its other story the kernel's?
            alts = [plugin_story(alt, side, start, markers, collections.Counter())
                    for alt in unshown_stories(frames, side, markers)]
            if alts:
                detail["unshown"] = {"final": any(a[2] == kfinal for a in alts),
                                     "sequence": any(x in kalts for a in alts for x in a[1])}
                flagged_n += 1
                flagged_model_ok += pfixed_ok_for(palts, kalts)
            final_n += 1
            if kfinal == pfinal:
                final_ok += 1
            else:
                diffs["final"].append(detail)
            seq_n += 1
            per_kind[kind][1] += 1
            if pseq in kalts:
                seq_ok += 1
            else:
                detail["shown_kind"] = "%s %s" % (side, first_divergence(kseq, pseq))
                diffs["shown"].append(detail)
                shown_kinds.setdefault(detail["shown_kind"], []).append(detail)
            if pfixed in kalts:
                fixed_ok += 1
                per_kind[kind][0] += 1
            else:
                detail["kind"] = "%s %s" % (side, first_divergence(kseq, pfixed))
                diffs["sequence"].append(detail)
                kinds.setdefault(detail["kind"], []).append(detail)
        for frame, sender, kres, pres, ok in check_resets(frames, resets, ckey, skey, offset, killed,
                                                            markers, rules, min_delay):
            rst_n += 1
            if ok:
                rst_ok += 1
            else:
                x = {"where": where, "frame": frame, "sender": sender, "kernel": kres, "plugin": pres}
                diffs["rst"].append(x)
                kinds.setdefault("rst from the %s: kernel %s, plugin %s" % (
                    sender, re.sub(r",? frame \d+", "", kres), re.sub(r" at frame \d+", "", pres)), []).append(x)
        # What the workload really did, by the kernel.
        if "ESTABLISHED" not in ks["client"]:
            expect = ("refused",) if kind == "refused" else ("no answer",)
        else:
            sent_fin = [any(st in ("FIN-WAIT-1", "LAST-ACK") for st in ks[x]) for x in ks]
            rb = reset_by(resets, ckey, skey, all(sent_fin))
            if rb:
                expect = ("reset by %s" % rb,)
            elif "FIN-WAIT-1" in ks["client"] and "FIN-WAIT-1" in ks["server"]:
                expect = ("simultaneous",)
            else:
                expect = ORDERLY
        got = conv.get(cp, "(no row)")
        close_n += 1
        if got in expect:
            close_ok += 1
        else:
            diffs["close"].append({"where": where, "expected": " or ".join(expect), "plugin": got,
                                   "kernel_client": arrow(ks["client"]),
                                   "kernel_server": arrow(ks["server"])})
            ck = "close: expected %s, plugin %s" % (" or ".join(expect), got)
            kinds.setdefault(ck, []).append(diffs["close"][-1])

    with open(os.path.join(d, "disagreements.json"), "w") as f:
        json.dump(diffs, f, indent=1)

    def show(title, items, fmt):
        print("== %s: %d" % (title, len(items)))
        for x in items:
            print("  " + fmt(x))

    show("final-state disagreements", diffs["final"], lambda x: "%s %s: kernel %s, plugin %s | kernel %s | plugin %s | %s" % (
        x["where"], x["side"], x["kernel_final"], x["plugin_final"], x["kernel"], x["plugin"], x["plugin_changes"]))
    show("state-sequence disagreements (after the plugin's own corrections)", diffs["sequence"],
         lambda x: "%s %s%s:\n      kernel    %s\n      plugin    %s\n      corrected %s\n      plugin changes (frame:prev>state) %s" % (
             x["where"], x["side"],
             " [flagged by the plugin: capture cannot show; its other story is the kernel's]"
             if x.get("unshown", {}).get("sequence") else "",
             x["kernel"], x["plugin"], x["plugin_corrected"], x["plugin_changes"]))
    show("close-classification disagreements", diffs["close"], lambda x: "%s: expected %s, plugin %s | kernel client %s | kernel server %s" % (
        x["where"], x["expected"], x["plugin"], x["kernel_client"], x["kernel_server"]))
    show("RST disagreements (kernel: the receiver's tcp_reset() took this RST; plugin: it closed the receiver here)",
         diffs["rst"], lambda x: "%s frame %d, RST from the %s: kernel %s, plugin %s" % (
             x["where"], x["frame"], x["sender"], x["kernel"], x["plugin"]))
    for title, group in (("sequences as shown", shown_kinds),
                         ("sequences after corrections, and closes", kinds)):
        print("== disagreement kinds, %s (count, first divergence, first example)" % title)
        for k, items in sorted(group.items(), key=lambda kv: -len(kv[1])):
            print("  %4d  %s  e.g. %s" % (len(items), k, items[0]["where"]))
    print("== rules applied to the plugin's story before comparing (each a documented rule, docs/accuracy.md)")
    for k, n in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0])):
        print("  %5d  %s" % (n, k))
    print("== per workload kind: endpoint sequences agreeing after corrections")
    for k in sorted(per_kind):
        ok, n = per_kind[k]
        print("  %-14s %4d/%-4d" % (k, ok, n))

    def pct(x, n):
        return "%d/%d (%.2f %%)" % (x, n, 100.0 * x / n if n else 0.0)
    print("== SUMMARY seed=%s loss=%s connections=%d streams-missing=%d" % (
        a.seed, a.loss, len(plan), len(missing)))
    print("   final states agree:     %s" % pct(final_ok, final_n))
    print("   state sequences agree:  %s as shown, %s after the plugin's corrections" % (
        pct(seq_ok, seq_n), pct(fixed_ok, seq_n)))
    # Beside the strict numbers (unchanged): the remaining differences the
    # plugin itself flagged on that endpoint as not shown by the capture
    # (tcpstate.cannot_show), its other story being the kernel's.
    fl_final = sum(1 for x in diffs["final"] if x.get("unshown", {}).get("final"))
    fl_seq = sum(1 for x in diffs["sequence"] if x.get("unshown", {}).get("sequence"))
    print("   flagged 'capture cannot show' by the plugin, its other story the kernel's: "
          "%d of %d final-state and %d of %d sequence differences" % (
              fl_final, len(diffs["final"]), fl_seq, len(diffs["sequence"])))
    print("   (the plugin flagged %d endpoints in all; on %d of them the model's story it shows was the kernel's)"
          % (flagged_n, flagged_model_ok))
    print("   closes classified:      %s" % pct(close_ok, close_n))
    print("   RSTs judged as kernel:  %s; challenge ACKs sent by the kernels (RFC 5961): client %s, server %s" % (
        pct(rst_ok, rst_n), challenge_acks(os.path.join(d, "nstat-kt-cli.txt")),
        challenge_acks(os.path.join(d, "nstat-kt-srv.txt"))))
    if missing:
        print("   no stream in the capture for client ports: %s" % " ".join(map(str, missing[:20])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
