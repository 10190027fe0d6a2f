#!/usr/bin/env python3
"""Run every command the tutorials show and compare its output with the
output shown under it, byte for byte.

    tests/docs/tutorial-commands.py PLUGIN.so [--update] [MARKDOWN...]

MARKDOWN defaults to docs/tutorial.md and docs/tutorial.zh-CN.md. In each
```console block a line starting with "$ " is a command (a line ending in a
backslash goes on in the next one); the lines after it, up to the next
command or the end of the block, are its shown output. Each command runs in
sample-pcaps/ under bash with pipefail, where `tshark` is the real tshark
loaded with exactly PLUGIN.so (tests/lib/tshark.sh: the preflight fails the
whole run if the build is not what tshark loads; output in tshark 4.0's
forms). A command passes when it exits 0 and prints exactly the shown
output. An ellipsis "…" stands for text left out of the shown output: a line
holding only "…" for any number of lines, "…" within a line for any text on
that line. Empty lines at the end of an output are not shown and do not
count.

--update rewrites, in the Markdown files, the shown output of each command
that fails with its real output (run it when a deliberate change of the
plugin's output, e.g. the packet tree's layout, makes the quoted outputs
stale, then review the diff). A shown output with an ellipsis is never
rewritten: it is reported, and must be mended by hand.

Fails closed: a missing file, a file without commands, a command without
shown output (an ellipsis alone is none), a non-zero exit status or any
difference is a failure. Prints one line per command and ends with
"N passed, N failed"; exits 77 (skipped) when tshark is not 4.0, whose
output the tutorials show.
"""
import difflib
import os
import re
import shlex
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TSHARK_LIB = os.path.join(ROOT, "tests", "lib", "tshark.sh")
DEFAULT_DOCS = ["docs/tutorial.md", "docs/tutorial.zh-CN.md"]
ELLIPSIS = "\u2026"
SKIP = 77


class Command:
    """One "$ " command of a console block and the output shown under it."""

    def __init__(self, path, line, text):
        self.path, self.line, self.text = path, line, text
        self.out_start = self.out_end = None     # 0-based line range of the shown output
        self.shown = []

    def label(self):
        first = self.text.splitlines()[0]
        return "%s:%d: %s" % (os.path.relpath(self.path, ROOT), self.line, first[:90])


def parse(path):
    """The commands of every ```console block of one Markdown file."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    commands, in_block, cmd, i = [], False, None, 0
    while i < len(lines):
        line = lines[i]
        if not in_block:
            in_block = line.strip() == "```console"
            i += 1
            continue
        if line.strip() == "```" or line.startswith("$ "):
            if cmd is not None:
                cmd.out_end = i
                cmd.shown = lines[cmd.out_start:i]
                commands.append(cmd)
                cmd = None
            if line.strip() == "```":
                in_block = False
                i += 1
                continue
            start = i
            text = line[2:]
            while text.endswith("\\") and i + 1 < len(lines):
                i += 1
                text += "\n" + lines[i]
            cmd = Command(path, start + 1, text)
            cmd.out_start = i + 1
        i += 1
    if in_block:
        raise SystemExit("%s: a ```console block is not closed" % path)
    return commands


def matches(shown, actual):
    """Whether the actual output is the shown one, "…" standing for left-out
    text (a line of its own: any lines; within a line: any text)."""
    pattern = ""
    for line in shown:
        if line.strip() == ELLIPSIS:
            pattern += r"(?:[^\n]*\n)*?"
        else:
            pattern += ".*".join(re.escape(part) for part in line.split(ELLIPSIS)) + r"\n"
    return re.fullmatch(pattern, actual) is not None


def run(cmd, work):
    script = "\n".join([
        "set -o pipefail",
        ". %s" % shlex.quote(TSHARK_LIB),
        "ts_attach %s" % shlex.quote(work),
        # tshark is the build under test: files given to -r are copied where
        # tshark's user can read them, output is written in 4.0's forms.
        'tshark() { local a=(); while [ $# -gt 0 ]; do '
        'if [ "$1" = -r ] && [ $# -gt 1 ]; then a+=(-r "$(ts_readable "$2")"); shift 2; '
        'else a+=("$1"); shift; fi; done; '
        'ts_tshark plugin -- "${a[@]}" | ts_normalise; }',
        "cd %s" % shlex.quote(os.path.join(ROOT, "sample-pcaps")),
        cmd.text,
    ])
    env = dict(os.environ, LC_ALL="C.UTF-8")
    try:
        p = subprocess.run(["bash", "-c", script], capture_output=True, timeout=300, env=env)
    except subprocess.TimeoutExpired:
        return None, "", "timed out after 300 s"
    out = p.stdout.decode("utf-8", "replace")
    # tshark -V ends each packet with an empty line, which a shown output
    # leaves out: trailing empty lines do not count.
    out = out.rstrip("\n") + "\n" if out.strip("\n") else ""
    return p.returncode, out, p.stderr.decode("utf-8", "replace")


def show_diff(shown, actual):
    diff = difflib.unified_diff(shown, actual.split("\n")[:-1] if actual.endswith("\n")
                                else actual.split("\n"), "shown", "actual", lineterm="", n=1)
    for d in list(diff)[:40]:
        print("      " + d)


def update_file(path, fixes):
    """Replace the shown outputs of the given commands, last first so that
    the line numbers of the earlier ones stay valid."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for cmd, actual in sorted(fixes, key=lambda fx: -fx[0].out_start):
        new = actual[:-1].split("\n") if actual.endswith("\n") else actual.split("\n")
        lines[cmd.out_start:cmd.out_end] = new
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def main(argv):
    args = [a for a in argv if a != "--update"]
    update = "--update" in argv
    if not args:
        print(__doc__.split("\n\n")[1])
        return 2
    plugin = os.path.abspath(args[0])
    docs = [os.path.join(ROOT, d) for d in (args[1:] or DEFAULT_DOCS)]

    version = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout
    if not re.match(r"TShark \(Wireshark\) 4\.0\.", version):
        print("SKIP  the tutorials show tshark 4.0's output; this is %s"
              % (version.splitlines() or ["no tshark"])[0])
        return SKIP

    passed = failed = 0
    # No "tcpstate" in this path: the tutorial greps tshark -G plugins for it.
    with tempfile.TemporaryDirectory(prefix="docs-commands.") as work:
        os.chmod(work, 0o755)
        setup = subprocess.run(["bash", TSHARK_LIB, "setup", work, plugin],
                               capture_output=True, text=True)
        if setup.returncode != 0:
            print(setup.stdout + setup.stderr, end="")
            print("FAIL  tshark does not load %s" % plugin)
            print("0 passed, 1 failed")
            return 1
        for path in docs:
            if not os.path.isfile(path):
                print("FAIL  %s: no such file" % path)
                failed += 1
                continue
            commands = parse(path)
            if not commands:
                print("FAIL  %s: no ```console command found" % os.path.relpath(path, ROOT))
                failed += 1
                continue
            fixes = []
            for cmd in commands:
                status, out, err = run(cmd, work)
                problem = None
                if status is None:
                    problem = err
                elif not any(line.strip() not in ("", ELLIPSIS) for line in cmd.shown):
                    problem = "no shown output"
                elif status != 0:
                    problem = "exit status %d" % status
                elif not matches(cmd.shown, out):
                    problem = "output differs"
                if problem is None:
                    print("ok    %s" % cmd.label())
                    passed += 1
                    continue
                failed += 1
                print("FAIL  %s: %s" % (cmd.label(), problem))
                if err.strip():
                    for line in err.strip().splitlines()[:5]:
                        print("      stderr: " + line)
                show_diff(cmd.shown, out)
                if update and status == 0 and out.strip() and not any(ELLIPSIS in l for l in cmd.shown):
                    fixes.append((cmd, out))
                elif update:
                    print("      not updated: mend it by hand")
            if fixes:
                update_file(path, fixes)
                print("updated %d shown outputs in %s" % (len(fixes), os.path.relpath(path, ROOT)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
