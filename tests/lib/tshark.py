"""tests/lib/tshark.sh for Python tests: the same set-up and preflight (tshark
loads exactly the build under test, whatever is installed globally, whoever
runs it), made once by the shell harness and used for every run.

    with Tshark("build/plugin/tcpstate.so") as ts:     # SystemExit if the preflight fails
        out = ts.run(["-r", ts.readable(path), "-T", "fields", ...])   # normalised stdout

run() returns tshark's stdout in tshark 4.0's forms (tests/lib/normalise.py)
and raises TsharkError when tshark exits non-zero or prints nothing.
"""
import os
import shutil
import subprocess
import sys
import tempfile

from normalise import normalise

LIB = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tshark.sh")


class TsharkError(RuntimeError):
    pass


class Tshark:
    def __init__(self, plugin):
        self.work = tempfile.mkdtemp(prefix="tcpstate-py.")
        setup = subprocess.run(["bash", LIB, "setup", self.work, os.path.abspath(plugin)],
                               capture_output=True, text=True)
        if setup.returncode != 0:
            self.close()
            sys.stdout.write(setup.stderr)
            raise SystemExit(1)

    def readable(self, path):
        """The path of a copy of PATH that tshark's user can read."""
        out = subprocess.run(["bash", LIB, "readable", self.work, path],
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()

    def run(self, args):
        proc = subprocess.run(["bash", LIB, "run", self.work, "plugin", "--"] + list(args),
                              capture_output=True, text=True)
        if proc.returncode != 0 or not proc.stdout:
            raise TsharkError(f"tshark {' '.join(args)}: exit {proc.returncode}, "
                              f"{len(proc.stdout)} bytes of output; {proc.stderr.strip()[:500]}")
        return normalise(proc.stdout)

    def close(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
