#!/usr/bin/env python3
"""Tests of tests/lib/normalise.py on literal tshark 4.4-style lines: each
must come out exactly as tshark 4.0 prints it (the form of the expected
outputs), and lines that are not one of the two known differences must come
out unchanged. Ends with "N passed, N failed"; exits 1 on any failure or if
no case ran."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from normalise import normalise, normalise_line  # noqa: E402

# (what, 4.4 line, 4.0 line). The 4.0 lines are those of
# sample-pcaps/lost-final-ack.tree.txt and simultaneous-close.tree.zh_CN.txt
# (frame 11); the 4.4 lines hold the same Why texts cut by 4.4's rule.
CASES = [
    ("cut English Why line",
     "        [Why [\u2026]: the client receives the repeated FIN in TIME-WAIT: it acknowledges it"
     " again and restarts its 2\u00d7MSL timer. the client is in TIME-WAIT until 120.000 s after"
     " this segment (2\u00d7MSL = 120 s: long enough to repeat a lost final ACK and]",
     "        [Why [truncated]: the client receives the repeated FIN in TIME-WAIT: it acknowledges"
     " it again and restarts its 2\u00d7MSL timer. the client is in TIME-WAIT until 120.000 s after"
     " this segment (2\u00d7MSL = 120 s: long enough to repeat a lost final ]"),
    ("cut Chinese Why line (UTF-8 boundary)",
     "        [Why [\u2026]: 客户端处于 TIME-WAIT，直到本报文段之后 120.000 秒；服务器处于 TIME-WAIT，"
     "直到本报文段之后 119.950 秒（2\u00d7MSL = 120 秒：足够重发丢失的最后一个 ACK，并让旧的重复报文段消失]",
     "        [Why [truncated]: 客户端处于 TIME-WAIT，直到本报文段之后 120.000 秒；服务器处于 TIME-WAIT，"
     "直到本报文段之后 119.950 秒（2\u00d7MSL = 120 秒：足够重发丢失的最后一个 ACK，并让旧的重复报文段]"),
    ("fields row, boolean column",
     "5\t0\tclient\tdata\tdata\t\tESTABLISHED\tESTABLISHED\tESTABLISHED\tESTABLISHED\tTrue\tOTH\t^d",
     "5\t0\tclient\tdata\tdata\t\tESTABLISHED\tESTABLISHED\tESTABLISHED\tESTABLISHED\t1\tOTH\t^d"),
    ("aggregated booleans", "7\tTrue|False|True", "7\t1|0|1"),
    ("a lone boolean field", "False", "0"),
    # unchanged: the plugin's own values and 4.0 output
    ("4.0 boolean", "5\t1\tOTH", "5\t1\tOTH"),
    ("tree boolean (the same in 4.0 and 4.4)", "    [States assumed: True]", "    [States assumed: True]"),
    ("a sentence holding True", "1\tTrue or not\tTrue.", "1\tTrue or not\tTrue."),
    ("mixed aggregator", "True|False,True", "True|False,True"),
    ("a short line with the 4.4 mark is not a cut line",
     "    [Summary [\u2026]: short]", "    [Summary [\u2026]: short]"),
    ("4.0 cut line", "        [Why [truncated]: x]", "        [Why [truncated]: x]"),
    ("empty line", "", ""),
]


def main():
    passed = failed = 0
    for what, given, want in CASES:
        got = normalise_line(given)
        if got == want:
            passed += 1
            print(f"ok    {what}")
        else:
            failed += 1
            print(f"FAIL  {what}\n      want {want!r}\n      got  {got!r}")
    # The 4.0 form of a cut line is never longer than 4.0's limit.
    cut = normalise_line(CASES[0][1]).strip()[1:-1].encode()
    if len(cut) == 238:
        passed += 1
        print("ok    4.0 cut label is 238 bytes")
    else:
        failed += 1
        print(f"FAIL  4.0 cut label is {len(cut)} bytes, not 238")
    # Whole texts keep their line structure.
    text = "a\tTrue\n\nb\tFalse\n"
    if normalise(text) == "a\t1\n\nb\t0\n":
        passed += 1
        print("ok    normalise() keeps lines and the final newline")
    else:
        failed += 1
        print(f"FAIL  normalise() gave {normalise(text)!r}")
    if passed + failed == 0:
        failed = 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
