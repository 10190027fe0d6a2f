#!/usr/bin/python3
"""Compare tcpstate's story of every endpoint with the kernel's (run.sh calls this).

Inputs, all in --out: plan.json (what the workload did), trace.txt (the
sock:inet_sock_set_state tracepoint), ss.txt (`ss -tan` snapshots of both
namespaces, the last ones tagged FINAL at capture end), fields.tsv and
conv.txt (tshark with the plugin under test).  Output: every disagreement
with enough detail to debug it, grouped into kinds, then a compact summary.

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
  kernel's sequence for that server is empty and its final state CLOSED.
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
MAX_LISTED = 40
# RFC 9293 section 3.10.7.4 processes a segment's ACK before its FIN, so one
# segment can take its receiver through an intermediate state (a FIN+ACK
# that acknowledges our FIN in FIN-WAIT-1: FIN-WAIT-2, then TIME-WAIT).  The
# tracepoint shows each step, the plugin the segment's end state: a one-frame
# jump of the plugin is expanded by the step that the RFC puts in between.
ONE_SEGMENT_STEPS = {
    ("FIN-WAIT-1", "TIME-WAIT"): ["FIN-WAIT-2"],
    ("SYN-RECEIVED", "CLOSE-WAIT"): ["ESTABLISHED"],
    ("SYN-SENT", "CLOSE-WAIT"): ["ESTABLISHED"],
    ("SYN-RECEIVED", "FIN-WAIT-2"): ["ESTABLISHED", "FIN-WAIT-1"],
}      # disagreements printed in full per section; all are in the JSON


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


def kernel_story(key, events, ss_seen, ss_final, start):
    """(sequence after the starting state, final state, close time of a reset or None)."""
    evs = events.get(key, [])
    seq = [new for _, _, new in evs]
    seen = collapse(ss_seen.get(key, []))
    fin = ss_final.get(key)
    if evs and evs[-1][2] == "CLOSED" and evs[-1][1] in ("FIN-WAIT-2", "CLOSING", "TIME-WAIT"):
        # Handed to a time-wait socket (tcp_time_wait()), or really closed;
        # ss tells which.  A time-wait socket only moves FIN-WAIT-2 -> TIME-WAIT -> gone.
        seq.pop()
        tw = [s for s in seen if s in ("FIN-WAIT-2", "TIME-WAIT")]
        if fin in ("FIN-WAIT-2", "TIME-WAIT"):
            tw.append(fin)
        if evs[-1][1] == "CLOSING":
            tw = ["TIME-WAIT"] if (tw or fin) else []
        seq += tw
        if fin is None:
            seq.append("CLOSED")        # killed (e.g. by RST in TIME-WAIT) or timed out
    if not evs:
        # Never a full socket: at most a request socket seen by ss.
        seq = [s for s in seen if s == "SYN-RECEIVED"]
        if seq:
            seq.append(fin or "CLOSED")
    seq = collapse(seq)
    if seq and seq[0] == start:
        seq = seq[1:]
    final = fin if fin else (seq[-1] if seq else "CLOSED")
    if fin is None and seq and seq[-1] != "CLOSED" and evs:
        final = seq[-1]
    return seq, final


def reset_by(events, cli_key, srv_key):
    """Which endpoint's kernel first went to CLOSED straight from a state
    that a normal close never leaves that way (an RST sent or received)."""
    best = None
    for side, key in (("client", cli_key), ("server", srv_key)):
        for t, old, new in events.get(key, []):
            if new == "CLOSED" and old in ("ESTABLISHED", "CLOSE-WAIT", "FIN-WAIT-1", "SYN-RECEIVED"):
                if best is None or t < best[0]:
                    best = (t, side)
                break
    return best[1] if best else None


# ----------------------------------------------------------------- plugin

def read_fields(path):
    """{client port: {"stream": n, "frames": [...], "client": [...], "server": [...]}}"""
    streams = {}
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 13 or not p[0].isdigit():
                continue
            frame, stream, src, sport, dst, dport, flags, sender, role = p[:9]
            cprev, cstate, sprev, sstate = p[9:13]
            if not cstate:
                raise SystemExit("frame %s has no tcpstate fields: did the plugin load?" % frame)
            cport = int(sport) if sender == "client" else int(dport)
            s = streams.setdefault(cport, {"stream": int(stream), "frames": []})
            s["frames"].append((int(frame), flags.replace("\u00b7", ""), sender, role,
                                cprev, cstate, sprev, sstate))
    return streams


def plugin_story(frames, side, start):
    """(sequence after the starting state, final state, [frame: prev > state] changes)."""
    i = 4 if side == "client" else 6
    seq, changes = [], []
    for fr in frames:
        prev, state = fr[i], fr[i + 1]
        seq += [prev] + ONE_SEGMENT_STEPS.get((prev, state), []) + [state]
        if prev != state:
            changes.append("%d:%s>%s" % (fr[0], prev, state))
    seq = collapse(seq)
    if seq and seq[0] == start:
        seq = seq[1:]
    return seq, (frames[-1][i + 1] if frames else None), changes


def read_conv(path):
    """{client port: closed column} from -z tcpstate,conv."""
    out = {}
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) < 8 or not p[0].isdigit() or ":" not in p[1]:
                continue
            cport = int(p[1].rsplit(":", 1)[1])
            # opened is one word; closed runs until the first state name.
            j = 6 if p[5] in ("three-way", "simultaneous", "partial", "none") else 5
            words = []
            while j < len(p) and not p[j].isupper():
                words.append(p[j])
                j += 1
            out[cport] = " ".join(words)
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
    ss_seen, ss_final = read_ss(os.path.join(d, "ss.txt"))
    streams = read_fields(os.path.join(d, "fields.tsv"))
    conv = read_conv(os.path.join(d, "conv.txt"))
    if not streams or not events:
        raise SystemExit("no plugin output or no kernel events: nothing to compare")

    final_ok = final_n = seq_ok = seq_n = close_ok = close_n = 0
    missing = []
    diffs = {"final": [], "sequence": [], "close": []}
    kinds = collections.OrderedDict()
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
        ks = {}
        for side, key, start in (("client", ckey, "CLOSED"), ("server", skey, "LISTEN")):
            if kind == "refused" and side == "server":
                kseq, kfinal = [], "CLOSED"      # no listener, no socket
            else:
                kseq, kfinal = kernel_story(key, events, ss_seen, ss_final, start)
            pseq, pfinal, changes = plugin_story(frames, side, start)
            ks[side] = kseq
            detail = {"where": where, "side": side, "kernel": arrow(kseq), "plugin": arrow(pseq),
                      "kernel_final": kfinal, "plugin_final": pfinal,
                      "plugin_changes": " ".join(changes)}
            final_n += 1
            if kfinal == pfinal:
                final_ok += 1
            else:
                diffs["final"].append(detail)
            seq_n += 1
            per_kind[kind][1] += 1
            if kseq == pseq:
                seq_ok += 1
                per_kind[kind][0] += 1
            else:
                detail["kind"] = "%s %s" % (side, first_divergence(kseq, pseq))
                diffs["sequence"].append(detail)
                kinds.setdefault(detail["kind"], []).append(detail)
        # What the workload really did, by the kernel.
        if "ESTABLISHED" not in ks["client"]:
            expect = ("refused",) if kind == "refused" else ("no answer",)
        else:
            rb = reset_by(events, ckey, skey)
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
        for x in items[:MAX_LISTED]:
            print("  " + fmt(x))
        if len(items) > MAX_LISTED:
            print("  ... %d more in disagreements.json" % (len(items) - MAX_LISTED))

    show("final-state disagreements", diffs["final"], lambda x: "%s %s: kernel %s, plugin %s | kernel %s | plugin %s | %s" % (
        x["where"], x["side"], x["kernel_final"], x["plugin_final"], x["kernel"], x["plugin"], x["plugin_changes"]))
    show("state-sequence disagreements", diffs["sequence"], lambda x: "%s %s:\n      kernel %s\n      plugin %s\n      plugin changes %s" % (
        x["where"], x["side"], x["kernel"], x["plugin"], x["plugin_changes"]))
    show("close-classification disagreements", diffs["close"], lambda x: "%s: expected %s, plugin %s | kernel client %s | kernel server %s" % (
        x["where"], x["expected"], x["plugin"], x["kernel_client"], x["kernel_server"]))
    print("== disagreement kinds (count, first example)")
    for k, items in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
        print("  %4d  %s  e.g. %s" % (len(items), k, items[0]["where"]))
    print("== per workload kind: endpoint sequences agreeing")
    for k in sorted(per_kind):
        ok, n = per_kind[k]
        print("  %-14s %4d/%-4d" % (k, ok, n))

    def pct(x, n):
        return "%d/%d (%.2f %%)" % (x, n, 100.0 * x / n if n else 0.0)
    print("== SUMMARY seed=%s loss=%s connections=%d streams-missing=%d" % (
        a.seed, a.loss, len(plan), len(missing)))
    print("   final states agree:     %s" % pct(final_ok, final_n))
    print("   state sequences agree:  %s" % pct(seq_ok, seq_n))
    print("   closes classified:      %s" % pct(close_ok, close_n))
    if missing:
        print("   no stream in the capture for client ports: %s" % " ".join(map(str, missing[:20])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
