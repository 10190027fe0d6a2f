#!/usr/bin/python3
"""Checks of the Chinese (language zh_CN) report outputs (run-report-tests.sh).

  zh-check.py width FILE         every line fits in 100 display columns
  zh-check.py aligned FILE       the -z tcpstate,conv table's columns line up
  zh-check.py words FILE [ALLOW] no English word a student must read

Display columns: a character of Unicode's East Asian Wide or Fullwidth class
takes two, any other one (core/report_words.c counts the same way).
Each prints what it found wrong, or one line saying what it checked, and
exits 1 on a finding or when there was nothing to check (fail closed).
"""
import re
import sys
import unicodedata


def cols(text):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def lines_of(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def check_width(path):
    lines = [l for l in lines_of(path) if l]
    bad = [f"{path}:{i + 1}: {cols(l)} columns" for i, l in enumerate(lines) if cols(l) > 100]
    if not lines:
        print(f"{path}: empty")
        return 1
    for b in bad:
        print(b)
    if not bad:
        print(f"{len(lines)} lines, the widest {max(cols(l) for l in lines)} columns")
    return 1 if bad else 0


# The -z tcpstate,conv columns, left (L) or right (R) aligned, in order.
CONV_ALIGN = "RLLLLLLLLRRRRRRR"


def spans(line):
    """(start, end) display columns of each cell: cells are separated by two
    or more blanks and hold no two blanks in a row."""
    out = []
    for m in re.finditer(r"\S+(?: \S+)*", line):
        start = cols(line[:m.start()])
        out.append((start, start + cols(m.group(0))))
    return out


def check_aligned(path):
    lines = lines_of(path)
    try:
        first = next(i for i, l in enumerate(lines) if l.startswith("-" * 20)) + 1
    except StopIteration:
        print(f"{path}: no table")
        return 1
    table = []
    for l in lines[first:]:
        if l.startswith("=" * 20) or l.startswith("* "):
            break
        table.append(l)
    if len(table) < 2:
        print(f"{path}: a table needs a title line and a row, found {len(table)} lines")
        return 1
    head = spans(table[0])
    bad = []
    if len(head) != len(CONV_ALIGN):
        print(f"{path}: {len(head)} column titles, expected {len(CONV_ALIGN)}")
        return 1
    for n, l in enumerate(table[1:], 2):
        row = spans(l)
        if len(row) != len(head):
            bad.append(f"row {n}: {len(row)} cells, {len(head)} titles: {l}")
            continue
        for c, (align, h, r) in enumerate(zip(CONV_ALIGN, head, row)):
            if (align == "L" and h[0] != r[0]) or (align == "R" and h[1] != r[1]):
                bad.append(f"row {n}, column {c + 1}: cell at columns {r}, title at {h}")
    for b in bad:
        print(f"{path}: {b}")
    if not bad:
        print(f"{len(table) - 1} rows, {len(head)} columns aligned by display width")
    return 1 if bad else 0


# Words a student may meet in the Chinese outputs: the contract's tokens
# (docs/spec.md: RFC 9293 state names, role tokens, field names, Zeek's
# conn_state codes), TCP's flag names and header field names as Wireshark
# shows them, and the names of commands and standards.
ALLOWED = set("""
CLOSED LISTEN SYN-SENT SYN-RECEIVED ESTABLISHED FIN-WAIT-1 FIN-WAIT-2 CLOSE-WAIT CLOSING
LAST-ACK TIME-WAIT
rst syn syn-ack handshake-ack fin+ack-of-fin fin ack-of-fin final-ack data ack
conn_state history seq len
S0 S1 SF REJ S2 S3 RSTO RSTR RSTOS0 RSTRH SH SHR OTH
FIN SYN RST PSH ACK URG ECE CWR AE SYN+ACK FIN+ACK RST+ACK
TCP IP RFC
""".split())

# Stripped before the words are taken: addresses, command names, 2MSL.
STRIP = [
    r"\[[0-9A-Fa-f:.]+\]:\d+",      # [IPv6]:port
    r"(?<![0-9A-Za-z])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![0-9A-Za-z])",  # IPv6
    r"tcpstate,(?:conv|ladder|tree|streams)",
    r"\b2MSL\b",
    r"\b0x[0-9A-Fa-f]+\b",          # flag bits, as in "0x003"
]


def check_words(path, allow_path=None):
    allowed = set(ALLOWED)
    if allow_path:
        # Zeek history strings ("^hADa"): the letters are the word.
        allowed |= {w.strip("^") for w in open(allow_path, encoding="utf-8").read().split()}
    text = open(path, encoding="utf-8").read()
    if not text.strip():
        print(f"{path}: empty")
        return 1
    if not re.search(r"[\u4e00-\u9fff]", text):
        print(f"{path}: no Chinese at all")
        return 1
    for pattern in STRIP:
        text = re.sub(pattern, " ", text)
    found = {}
    for n, line in enumerate(text.split("\n"), 1):
        for w in re.findall(r"[A-Za-z][A-Za-z0-9]*(?:[-+_][A-Za-z0-9]+)*", line):
            if w not in allowed:
                found.setdefault(w, n)
    for w, n in sorted(found.items(), key=lambda x: x[1]):
        print(f"{path}:{n}: English word \"{w}\"")
    if not found:
        print(f"{path}: no English word outside the allow-list")
    return 1 if found else 0


def main(argv):
    if len(argv) >= 3 and argv[1] == "width":
        return check_width(argv[2])
    if len(argv) >= 3 and argv[1] == "aligned":
        return check_aligned(argv[2])
    if len(argv) >= 3 and argv[1] == "words":
        return check_words(argv[2], argv[3] if len(argv) > 3 else None)
    print(__doc__)
    return 2


sys.exit(main(sys.argv))
