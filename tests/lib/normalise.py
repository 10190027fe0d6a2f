#!/usr/bin/env python3
"""Rewrite the two known forms in which newer tshark (4.2, 4.4) prints what
tshark 4.0 prints differently, so that one set of expected outputs (4.0's
forms) serves every version. Nothing else is touched: the plugin's own
values pass through byte for byte.

    python3 tests/lib/normalise.py < tshark-output > normalised

1. Booleans in -T fields output. 4.0 prints an FT_BOOLEAN field as 1 / 0,
   4.4 as True / False. A tab-separated field whose whole value is True or
   False (or several of them joined by an aggregator: | , or \\x1f) becomes
   1 or 0. No field of the plugin is a string "True" (docs/fields.md: its
   tokens are lower case, its texts are sentences), so only booleans match.

2. A tree line cut at Wireshark's label limit (ITEM_LABEL_LENGTH, 240 bytes
   with the terminating NUL). Both versions insert a mark after the field
   name and keep whole UTF-8 characters, but 4.0's mark is " [truncated]"
   (12 bytes) and it keeps the characters that start before byte 238, while
   4.4's mark is " […]" (6 bytes) and it keeps those that start before byte
   239. So a 4.4 line shows a few more bytes of the value; the 4.0 form is
   rebuilt by putting 4.0's mark in and cutting the label by 4.0's rule. Only
   a label that holds the mark right after its name and is as long as a cut
   label can be (within one UTF-8 character of the limit) is rewritten.
"""
import re
import sys

LABEL_LIMIT = 240          # ITEM_LABEL_LENGTH, the same in 4.0 and 4.4
MARK_40 = " [truncated]"
MARK_44 = " [\u2026]"
# A -V tree line: indentation, "[" for a generated item, the field name, the
# mark, ": ", the value, and "]" for a generated item.
CUT_44 = re.compile(r"^( *)(\[?)([^\[\]:\n]+)" + re.escape(MARK_44) + r"(: .*?)(\]?)$")
BOOLS = re.compile(r"^(?:True|False)(?:([|,\x1f])(?:True|False)(?:\1(?:True|False))*)?$")


def _cut_40(label: bytes) -> bytes:
    """The label as 4.0 leaves it: up to the start of the UTF-8 character
    that holds byte LABEL_LIMIT - 2 (g_utf8_prev_char from byte 239)."""
    limit = LABEL_LIMIT - 2
    if len(label) <= limit:
        return label
    pos = limit
    while pos > 0 and (label[pos] & 0xC0) == 0x80:
        pos -= 1
    return label[:pos]


# A cut generated label without a field name (an expert info's text): 4.4
# puts its mark first and a space ("[[…] Expert Info ..."), 4.0 its mark
# first without one ("[ [truncated]Expert Info ...").
CUT_44_NO_NAME = re.compile(r"^( *)\[" + re.escape(MARK_44.lstrip()) + r" (.*)$")


def normalise_line(line: str) -> str:
    """One output line (no newline) in 4.0's forms."""
    m = CUT_44_NO_NAME.match(line)
    if m:
        indent, rest = m.groups()
        close = "]" if rest.endswith("]") else ""
        label40 = (MARK_40 + rest[:len(rest) - len(close)]).encode(errors="surrogateescape")
        return indent + "[" + _cut_40(label40).decode(errors="surrogateescape") + close
    m = CUT_44.match(line)
    if m:
        indent, open_, name, rest, close = m.groups()
        if not open_:               # not generated: a final "]" is the value's
            rest, close = rest + close, ""
        label44 = (name + MARK_44 + rest).encode(errors="surrogateescape")
        # 4.4 keeps characters starting before byte 239: a cut label is at
        # least 239 - 3 bytes long (a UTF-8 character has at most 4 bytes).
        if open_ == "[" and close != "]":
            return line
        if len(label44) >= LABEL_LIMIT - 4:
            label40 = (name + MARK_40 + rest).encode(errors="surrogateescape")
            return indent + open_ + _cut_40(label40).decode(errors="surrogateescape") + close
    if "True" in line or "False" in line:
        fields = line.split("\t")
        for i, value in enumerate(fields):
            if BOOLS.match(value):
                fields[i] = value.replace("True", "1").replace("False", "0")
        line = "\t".join(fields)
    return line


def normalise(text: str) -> str:
    return "\n".join(normalise_line(line) for line in text.split("\n"))


def main() -> int:
    sys.stdin.reconfigure(encoding="utf-8", errors="surrogateescape", newline="")
    sys.stdout.reconfigure(encoding="utf-8", errors="surrogateescape", newline="")
    for line in sys.stdin:
        end = "\n" if line.endswith("\n") else ""
        sys.stdout.write(normalise_line(line[:len(line) - len(end)]) + end)
    return 0


if __name__ == "__main__":
    sys.exit(main())
