#!/usr/bin/env python3
"""Zeek conformance: run the plugin on Zeek's own test traces and compare the
conn_state and history of every TCP connection with Zeek's baselines.

    tests/zeek/conformance.py PATH/TO/tcpstate.so [CORPUS_DIR] [--min-conn-state 98]
                              [--min-history 97] [--tsv OUT]

CORPUS_DIR (default ../shared/corpus/zeek) holds traces/, expected.tsv and
expected-partial.tsv (see its SEMANTICS.md). A row names the Wireshark
tcp.stream and the first frame of a Zeek connection; a stream can hold several
Zeek connections, so a connection's values are those of the last frame of its
stream before the next connection of that stream starts. Rows whose value is
"?" are not compared for that value; Zeek's analyzer letter X is dropped from
expected histories (it is not derived from TCP).

Prints every disagreement, the agreement rates (over both files, and for
each file), and the closing line
"N passed, N failed" (one check per compared value); exits 1 when a rate is
below its threshold, when tshark fails on a trace or prints nothing, or when
nothing was compared. tshark runs through tests/lib/tshark.py (exactly this
build, whatever is installed globally; checked before any trace).
"""
import argparse
import collections
import csv
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
from tshark import Tshark, TsharkError  # noqa: E402  (tests/lib/tshark.sh's harness)


def read_rows(corpus):
    rows = []
    for name in ("expected.tsv", "expected-partial.tsv"):
        path = os.path.join(corpus, name)
        if not os.path.exists(path):
            continue
        with open(path, newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                row["source"] = name
                rows.append(row)
    return rows


def tshark_options(trace, zeek_flags):
    opts = []
    # Zeek verifies TCP checksums unless run with -C, and drops a bad packet
    # with a 'C'; so must Wireshark then (tcpstate gets bad_checksum only when
    # Wireshark verified it). With -C, Zeek processes bad packets as good ones,
    # as tcpstate does with verification off (Wireshark's default).
    if "-C" not in zeek_flags.split():
        opts += ["-o", "tcp.check_checksum:TRUE"]
    if trace == "Teredo.pcap":
        # The relay uses UDP ports Wireshark does not take for Teredo by default.
        opts += ["-o", "teredo.heuristic_teredo:TRUE"]
    return opts


def dissect(ts, path, opts):
    """Per stream, the list of (frame, conn_state, history) in frame order."""
    out = ts.run(["-r", ts.readable(path)] + opts + [
        "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=\x1f",
        "-e", "frame.number", "-e", "tcpstate.stream",
        "-e", "tcpstate.conn_state", "-e", "tcpstate.history"])
    streams = collections.defaultdict(list)
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) < 4 or not parts[1]:
            continue
        frame = int(parts[0])
        cols = [p.split("\x1f") for p in parts[1:4]]
        for stream, state, hist in zip(*cols):
            streams[int(stream)].append((frame, state, hist))
    return streams


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("plugin")
    ap.add_argument("corpus", nargs="?",
                    default=os.path.join(ROOT, "..", "shared", "corpus", "zeek"))
    ap.add_argument("--min-conn-state", type=float, default=98.0)
    ap.add_argument("--min-history", type=float, default=97.0)
    ap.add_argument("--tsv", help="write every compared row here")
    args = ap.parse_args()
    so = os.path.abspath(args.plugin)

    rows = read_rows(args.corpus)
    if not rows:
        print(f"no expected rows under {args.corpus}")
        return 1
    by_trace = collections.defaultdict(list)
    for row in rows:
        by_trace[row["trace"]].append(row)

    with Tshark(so) as ts:
        results, errors = compare(ts, args.corpus, rows, by_trace)
    for error in errors:
        print(error)
    return report(args, results, errors)


def compare(ts, corpus, rows, by_trace):
    """(row, got_state, got_history) of every row, and the traces tshark
    failed on (their rows get "-", which agrees with no baseline)."""
    results, errors = [], []
    for trace, trows in sorted(by_trace.items()):
        path = os.path.join(corpus, "traces", trace)
        try:
            streams = dissect(ts, path, tshark_options(trace, trows[0]["zeek_flags"]))
        except (TsharkError, subprocess.CalledProcessError) as e:
            errors.append(f"ERROR {trace}: {e}")
            streams = {}
        stream_of = {v[0]: s for s, vs in streams.items() for v in vs}

        def stream_for(row):
            # The corpus names Wireshark 4.0's tcp.stream. Wireshark 4.4
            # numbers some streams differently (a SYN that reuses the tuple of
            # a connection closed by RST starts a new stream there), so when
            # the named stream does not hold the row's first frame, the row's
            # connection is in the stream this tshark gives that frame.
            stream, first = int(row["ws_tcp_stream"]), int(row["first_frame"])
            if any(v[0] == first for v in streams.get(stream, [])):
                return stream
            return stream_of.get(first, stream)

        starts = collections.defaultdict(list)
        for row in trows:
            starts[stream_for(row)].append(int(row["first_frame"]))
        for row in trows:
            stream, first = stream_for(row), int(row["first_frame"])
            later = [f for f in starts[stream] if f > first]
            end = min(later) if later else None
            frames = [v for v in streams.get(stream, [])
                      if v[0] >= first and (end is None or v[0] < end)]
            got_state, got_hist = (frames[-1][1], frames[-1][2]) if frames else ("-", "-")
            results.append((row, got_state, got_hist))
    return results, errors


def report(args, results, errors):
    checks = {"conn_state": [0, 0], "history": [0, 0]}
    per_file = collections.defaultdict(lambda: [0, 0])  # (source, what) -> [good, bad]
    lines = []
    for row, got_state, got_hist in results:
        want_hist = row["history"].replace("X", "") if row["history"] != "?" else "?"
        for what, want, got in (("conn_state", row["conn_state"], got_state),
                                ("history", want_hist, got_hist)):
            if want == "?":
                continue
            ok = want == got
            checks[what][0 if ok else 1] += 1
            per_file[(row["source"], what)][0 if ok else 1] += 1
            if not ok:
                lines.append(f"DIFF  {row['trace']} stream {row['ws_tcp_stream']} frame "
                             f"{row['first_frame']} {row['orig_h']}:{row['orig_p']} -> "
                             f"{row['resp_h']}:{row['resp_p']}: {what} zeek {want!r}, "
                             f"tcpstate {got!r}")
    if args.tsv:
        with open(args.tsv, "w") as f:
            f.write("trace\tstream\tfirst_frame\tzeek_conn_state\tconn_state\tzeek_history\thistory\n")
            for row, got_state, got_hist in results:
                f.write(f"{row['trace']}\t{row['ws_tcp_stream']}\t{row['first_frame']}\t"
                        f"{row['conn_state']}\t{got_state}\t{row['history']}\t{got_hist}\n")

    for line in lines:
        print(line)
    status = 0
    for what, minimum in (("conn_state", args.min_conn_state), ("history", args.min_history)):
        good, bad = checks[what]
        rate = 100.0 * good / (good + bad) if good + bad else 0.0
        verdict = "ok" if rate >= minimum else "BELOW THRESHOLD"
        print(f"{what}: {good}/{good + bad} connections agree ({rate:.1f}%, "
              f"threshold {minimum:g}%): {verdict}")
        if rate < minimum:
            status = 1
    for (source, what), (good, bad) in sorted(per_file.items()):
        print(f"  {source}: {what} {good}/{good + bad}")
    passed = checks["conn_state"][0] + checks["history"][0]
    failed = checks["conn_state"][1] + checks["history"][1]
    if errors or passed + failed == 0:
        # a trace tshark could not dissect, or nothing compared: not a pass
        status = 1
        failed = max(failed, 1)
    print(f"{passed} passed, {failed} failed")
    return status


if __name__ == "__main__":
    sys.exit(main())
