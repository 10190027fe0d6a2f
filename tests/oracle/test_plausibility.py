#!/usr/bin/env python3
"""Unit tests of the plausibility oracle (tests/oracle/plausibility.py) on
synthetic rows: each rule fires on a crafted impossible story and stays quiet
on a possible one. No tshark is run except in the fail-closed test, which
gives the runner a plugin that does not exist."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plausibility as P  # noqa: E402

S, SA, A, F, FA, R, RA, PA = 0x002, 0x012, 0x010, 0x001, 0x011, 0x004, 0x014, 0x018
C_ISN, S_ISN = 1000, 5000


def row(frame, t, sender, flags, seq, ack, ln, role, c, s, **kw):
    """A tree: c and s are (prev, state) of client and server."""
    r = P.Row(frame=frame, time=t, stream=0, flags=flags, seq=seq, ack=ack, len=ln,
              sender=sender, role=role, cprev=c[0], cstate=c[1], sprev=s[0], sstate=s[1])
    r.sport, r.dport = (40000, 80) if sender == "client" else (80, 40000)
    r.notes = frozenset("tcpstate." + n for n in kw.pop("notes", ()))
    for k, v in kw.items():
        setattr(r, k, v)
    return r


def handshake(t0=0.0, rtt=0.010):
    """A captured three-way handshake (client side RTT rtt/2, server rtt/2)."""
    return [
        row(1, t0, "client", S, C_ISN, 0, 0, "syn", ("CLOSED", "SYN-SENT"),
            ("LISTEN", "SYN-RECEIVED"), step=1),
        row(2, t0 + rtt / 2, "server", SA, S_ISN, C_ISN + 1, 0, "syn-ack",
            ("SYN-SENT", "ESTABLISHED"), ("SYN-RECEIVED", "SYN-RECEIVED"), step=2),
        row(3, t0 + rtt, "client", A, C_ISN + 1, S_ISN + 1, 0, "handshake-ack",
            ("ESTABLISHED", "ESTABLISHED"), ("SYN-RECEIVED", "ESTABLISHED"), step=3),
    ]


EST = ("ESTABLISHED", "ESTABLISHED")


def client_fin():
    """The handshake, then the client's FIN at 1 s (frame 4)."""
    return handshake() + [
        row(4, 1.0, "client", FA, C_ISN + 1, S_ISN + 1, 0, "fin",
            ("ESTABLISHED", "FIN-WAIT-1"), ("ESTABLISHED", "CLOSE-WAIT"), step=1)]


def check(rows, msl=60.0):
    c = P.Checker(msl)
    c.check_capture(rows)
    return c.findings


def kinds(findings, rule=None):
    return {f.kind for f in findings if rule is None or f.rule == rule}


class PairTable(unittest.TestCase):
    def test_pairs(self):
        pairs = P.reachable_pairs()
        for ok in [("ESTABLISHED", "ESTABLISHED"), ("FIN-WAIT-1", "LAST-ACK"),
                   ("CLOSING", "CLOSING"), ("TIME-WAIT", "LAST-ACK"), ("SYN-SENT", "SYN-RECEIVED"),
                   ("FIN-WAIT-2", "CLOSING"), ("CLOSED", "ESTABLISHED"), ("CLOSED", "LISTEN")]:
            self.assertIn(ok, pairs)
        for bad in [("CLOSING", "LAST-ACK"), ("TIME-WAIT", "ESTABLISHED"),
                    ("SYN-SENT", "ESTABLISHED"), ("CLOSE-WAIT", "CLOSE-WAIT"),
                    ("LAST-ACK", "LAST-ACK"), ("CLOSE-WAIT", "LAST-ACK")]:
            self.assertNotIn(bad, pairs)


class Rule1Sender(unittest.TestCase):
    def test_data_from_syn_received(self):
        rows = handshake()[:2] + [
            row(3, 0.02, "server", PA, S_ISN + 1, C_ISN + 1, 100, "data",
                EST, ("SYN-RECEIVED", "SYN-RECEIVED"))]
        self.assertIn("data from SYN-RECEIVED", kinds(check(rows), P.RULES[0]))

    def test_data_after_correction_to_established(self):
        rows = handshake()[:2] + [
            row(3, 0.02, "server", PA, S_ISN + 1, C_ISN + 1, 100, "data",
                EST, ("SYN-RECEIVED", "ESTABLISHED"), notes=["lost_segment"])]
        self.assertEqual(check(rows), [])

    def test_fast_open(self):
        rows = [
            row(1, 0.0, "client", S, C_ISN, 0, 10, "syn", ("CLOSED", "SYN-SENT"),
                ("LISTEN", "SYN-RECEIVED"), step=1),
            row(2, 0.005, "server", SA, S_ISN, C_ISN + 11, 0, "syn-ack",
                ("SYN-SENT", "ESTABLISHED"), ("SYN-RECEIVED", "SYN-RECEIVED"), step=2),
            row(3, 0.006, "server", PA, S_ISN + 1, C_ISN + 11, 50, "data",
                EST, ("SYN-RECEIVED", "SYN-RECEIVED"))]
        self.assertEqual(check(rows), [])
        rows[2].ack = C_ISN + 12  # acknowledges more than the SYN carried
        self.assertIn("data from SYN-RECEIVED", kinds(check(rows), P.RULES[0]))

    def test_ack_of_fin_from_established(self):
        rows = client_fin() + [
            row(5, 1.5, "server", A, S_ISN + 1, C_ISN + 2, 0, "ack",
                ("FIN-WAIT-1", "FIN-WAIT-1"), ("CLOSE-WAIT", "ESTABLISHED"),
                notes=["lost_segment"])]
        self.assertIn(P.RULES[0], {f.rule for f in check(rows)})
        rows[4].sstate, rows[4].cstate, rows[4].role = "CLOSE-WAIT", "FIN-WAIT-2", "ack-of-fin"
        rows[4].notes = frozenset()
        self.assertEqual(check(rows), [])

    def test_stale_data_after_rst(self):
        base = handshake() + [
            row(4, 1.0, "client", RA, C_ISN + 1, S_ISN + 1, 0, "rst",
                ("ESTABLISHED", "CLOSED"), ("ESTABLISHED", "CLOSED"))]
        stale = base + [row(5, 1.001, "server", PA, S_ISN + 1, C_ISN + 1, 10, "data",
                            ("CLOSED", "CLOSED"), ("CLOSED", "CLOSED"))]
        self.assertEqual(check(stale), [])
        late = base + [row(5, 5.0, "server", PA, S_ISN + 1, C_ISN + 1, 10, "data",
                           ("CLOSED", "CLOSED"), ("CLOSED", "CLOSED"))]
        self.assertIn("data from CLOSED", kinds(check(late), P.RULES[0]))

    def test_new_data_after_own_fin(self):
        rows = client_fin() + [
            row(5, 1.1, "client", PA, C_ISN + 2, S_ISN + 1, 10, "data",
                ("FIN-WAIT-1", "FIN-WAIT-1"), ("CLOSE-WAIT", "CLOSE-WAIT"))]
        self.assertIn("new data after own FIN", kinds(check(rows), P.RULES[0]))
        rows[4].notes = frozenset(["tcpstate.data_after_fin"])
        self.assertEqual(check(rows), [])


class Rule2Pair(unittest.TestCase):
    def closing(self, client_after):
        return client_fin() + [
            row(5, 1.01, "server", FA, S_ISN + 1, C_ISN + 2, 0, "fin+ack-of-fin",
                ("FIN-WAIT-1", "TIME-WAIT"), ("CLOSE-WAIT", "LAST-ACK"), step=2,
                notes=["merged_close"]),
            # ssh.pcap frame 862: the client repeats its FIN without acking the server's
            row(6, 1.5, "client", FA, C_ISN + 1, S_ISN + 1, 0, "fin",
                ("TIME-WAIT", client_after), ("LAST-ACK", "LAST-ACK"), attempt=2,
                notes=["lost_segment", "retransmission"])]

    def test_closing_beside_last_ack(self):
        self.assertIn("CLOSING beside LAST-ACK", kinds(check(self.closing("CLOSING")), P.RULES[1]))

    def test_fin_wait_1_beside_last_ack(self):
        self.assertEqual(check(self.closing("FIN-WAIT-1")), [])


class Rule3Correction(unittest.TestCase):
    def test_discontinuity(self):
        rows = handshake() + [row(4, 1.0, "client", PA, C_ISN + 1, S_ISN + 1, 5, "data",
                                  ("ESTABLISHED", "ESTABLISHED"), ("CLOSE-WAIT", "CLOSE-WAIT"))]
        self.assertIn("discontinuity", kinds(check(rows), P.RULES[2]))

    def time_wait(self, later, shown_as_move=False):
        """The final ACK is not captured; the server repeats its FIN `later`
        seconds after the client entered TIME-WAIT (2xMSL = 120 s)."""
        rows = client_fin() + [
            row(5, 1.01, "server", FA, S_ISN + 1, C_ISN + 2, 0, "fin+ack-of-fin",
                ("FIN-WAIT-1", "TIME-WAIT"), ("CLOSE-WAIT", "LAST-ACK"), step=2),
            row(6, 1.01 + later, "server", FA, S_ISN + 1, C_ISN + 2, 0, "fin+ack-of-fin",
                ("CLOSED", "CLOSED"), ("LAST-ACK", "LAST-ACK"), attempt=2,
                notes=["time_wait", "retransmission"])]
        if shown_as_move:  # a build may show the expiry on the segment itself
            rows[-1].cprev = "TIME-WAIT"
        return check(rows)

    def test_time_wait_expiry(self):
        self.assertEqual(self.time_wait(121.0), [])
        self.assertIn("discontinuity", kinds(self.time_wait(60.0), P.RULES[2]))
        self.assertEqual(self.time_wait(121.0, shown_as_move=True), [])
        self.assertTrue(kinds(self.time_wait(60.0, shown_as_move=True), P.RULES[2]))

    def test_unannounced_inference(self):
        rows = handshake()[:2] + [
            row(3, 0.01, "client", A, C_ISN + 1, S_ISN + 1, 0, "handshake-ack",
                ("SYN-SENT", "ESTABLISHED"), ("SYN-RECEIVED", "ESTABLISHED"), step=3)]
        rows[1].cstate = "SYN-SENT"  # the SYN-ACK taken as not received
        rows[2].cprev = "SYN-SENT"
        self.assertIn("unannounced SYN-SENT -> ESTABLISHED", kinds(check(rows), P.RULES[2]))
        rows[2].notes = frozenset(["tcpstate.lost_segment"])
        self.assertEqual(check(rows), [])

    def fin_again(self, after):
        return client_fin() + [
            row(5, 1.01, "server", A, S_ISN + 1, C_ISN + 2, 0, "ack-of-fin",
                ("FIN-WAIT-1", "FIN-WAIT-2"), ("CLOSE-WAIT", "CLOSE-WAIT"), step=2),
            row(6, 2.0, "client", FA, C_ISN + 1, S_ISN + 1, 0, "fin",
                ("FIN-WAIT-2", after), ("CLOSE-WAIT", "CLOSE-WAIT"), attempt=2,
                notes=["lost_segment", "retransmission"])]

    def test_fin_retransmission_corrections(self):
        self.assertEqual(check(self.fin_again("FIN-WAIT-1")), [])
        # CLOSING needs the server's FIN, which its ack does not cover (none was sent).
        self.assertIn("unjustified FIN-WAIT-2 -> CLOSING",
                      kinds(check(self.fin_again("CLOSING")), P.RULES[2]))

    def crossing_fins(self, delay):
        return check(client_fin() + [
            row(5, 1.0 + delay, "server", FA, S_ISN + 1, C_ISN + 1, 0, "fin",
                ("FIN-WAIT-1", "CLOSING"), ("CLOSE-WAIT", "CLOSING"), step=2,
                notes=["simultaneous_close"])])

    def test_crossing_fins(self):
        # Within the stale window the FINs crossed: both CLOSING.
        self.assertEqual(self.crossing_fins(0.005), [])
        # Seconds later, a FIN that does not ack the client's proves that FIN lost.
        self.assertIn("unjustified CLOSE-WAIT -> CLOSING",
                      kinds(self.crossing_fins(2.0), P.RULES[2]))

    def synack_again(self, delay):
        rows = handshake(rtt=0.010) + [
            row(4, 0.010 + delay, "server", SA, S_ISN, C_ISN + 1, 0, "syn-ack",
                EST, ("ESTABLISHED", "SYN-RECEIVED"), attempt=2,
                notes=["lost_segment", "retransmission"])]
        return check(rows)

    def test_synack_retransmission(self):
        self.assertEqual(self.synack_again(1.0), [])
        self.assertIn("unjustified ESTABLISHED -> SYN-RECEIVED",
                      kinds(self.synack_again(0.001), P.RULES[2]))

    def test_bare_rst_in_syn_sent(self):
        rows = handshake()[:1] + [
            row(2, 0.2, "server", R, 0, 0, 0, "rst", ("SYN-SENT", "CLOSED"),
                ("SYN-RECEIVED", "CLOSED"))]
        self.assertIn("receiver SYN-SENT -> CLOSED", kinds(check(rows), P.RULES[2]))
        rows[1].cstate = "SYN-SENT"
        self.assertEqual(check(rows), [])

    def test_rst_behind_receivers_ack(self):
        rows = handshake() + [
            row(4, 0.5, "server", PA, S_ISN + 1, C_ISN + 1, 100, "data", EST, EST),
            row(5, 0.6, "client", A, C_ISN + 1, S_ISN + 101, 0, "ack", EST, EST),
            row(6, 0.7, "server", R, S_ISN + 1, 0, 0, "rst", ("ESTABLISHED", "CLOSED"),
                ("ESTABLISHED", "CLOSED"))]
        self.assertIn("receiver ESTABLISHED -> CLOSED", kinds(check(rows), P.RULES[2]))
        rows[5].seq = S_ISN + 101
        self.assertEqual(check(rows), [])


    def lost_handshake_ack_data(self, ack):
        """F6 of docs/accuracy.md: data on the handshake-ack lost after the
        capture point, the client's RST, the server's challenge ACK."""
        rows = handshake()[:2] + [
            row(3, 0.010, "client", PA, C_ISN + 1, S_ISN + 1, 1389, "handshake-ack",
                EST, ("SYN-RECEIVED", "ESTABLISHED"), step=3),
            row(4, 0.011, "client", RA, C_ISN + 1390, S_ISN + 1, 0, "rst",
                ("ESTABLISHED", "CLOSED"), ("ESTABLISHED", "CLOSED")),
            row(5, 0.016, "server", A, S_ISN + 1, ack, 0, "ack",
                ("CLOSED", "CLOSED"), ("CLOSED", "SYN-RECEIVED"), notes=("lost_segment",))]
        return check(rows)

    def test_lost_handshake_ack_after_rst(self):
        # Its ack covers only the SYN: back to SYN-RECEIVED, not ESTABLISHED.
        self.assertEqual(self.lost_handshake_ack_data(C_ISN + 1), [])
        # An ack covering the data shows it had the handshake-ack.
        self.assertIn("CLOSED -> SYN-RECEIVED",
                      " ".join(kinds(self.lost_handshake_ack_data(C_ISN + 1390), P.RULES[2])))


class Rule4Attempt(unittest.TestCase):
    def test_repeated_fin(self):
        rows = client_fin() + [
            row(5, 1.3, "client", FA, C_ISN + 1, S_ISN + 1, 0, "fin",
                ("FIN-WAIT-1", "FIN-WAIT-1"), ("CLOSE-WAIT", "CLOSE-WAIT"))]
        self.assertIn("repeated FIN without attempt", kinds(check(rows), P.RULES[3]))
        rows[4].attempt = 2
        self.assertEqual(check(rows), [])

    def refused_then_syn(self, isn):
        return [
            row(1, 0.0, "client", S, C_ISN, 0, 0, "syn", ("CLOSED", "SYN-SENT"),
                ("LISTEN", "SYN-RECEIVED"), step=1),
            row(2, 0.05, "server", RA, 0, C_ISN + 1, 0, "rst", ("SYN-SENT", "CLOSED"),
                ("SYN-RECEIVED", "CLOSED")),
            row(3, 0.5, "client", S, isn, 0, 0, "syn", ("CLOSED", "SYN-SENT"),
                ("CLOSED", "SYN-RECEIVED"), step=1,
                summary="Handshake 1/3: the client opens a new connection on the same "
                        "addresses and ports (SYN)")]

    def test_new_connection_with_the_same_isn(self):
        self.assertIn("new connection with the earlier ISN",
                      kinds(check(self.refused_then_syn(C_ISN)), P.RULES[3]))
        self.assertEqual(check(self.refused_then_syn(C_ISN + 77777)), [])

    def test_refused_syn_repeated(self):
        # pop3.pcap as the SPEC tells it: the RST was lost, the SYN is repeated.
        rows = self.refused_then_syn(C_ISN)
        rows[2].summary, rows[2].step, rows[2].attempt = "the client repeats its SYN", None, 2
        rows[2].notes = frozenset(["tcpstate.retransmission"])
        self.assertEqual(check(rows), [])
        rows[2].attempt = None
        self.assertIn("repeated SYN without attempt", kinds(check(rows), P.RULES[3]))


    def test_reordered_handshake_is_no_new_connection(self):
        # handshake-reorder.pcap: the SYN-ACK is captured before the SYN it answers.
        rows = [
            row(1, 0.0, "server", SA, S_ISN, C_ISN + 1, 0, "syn-ack",
                ("SYN-SENT", "ESTABLISHED"), ("SYN-RECEIVED", "SYN-RECEIVED"), step=2,
                assumed=True),
            row(2, 0.001, "client", S, C_ISN, 0, 0, "syn", ("ESTABLISHED", "SYN-SENT"),
                ("SYN-RECEIVED", "SYN-RECEIVED"), step=1, assumed=True,
                summary="the client opens a new connection on the same addresses and ports")]
        self.assertIn("new connection with the earlier ISN", kinds(check(rows), P.RULES[3]))


class Rule5Sanity(unittest.TestCase):
    def test_second_handshake_ack(self):
        rows = handshake() + [row(4, 0.5, "client", PA, C_ISN + 1, S_ISN + 1, 10,
                                  "handshake-ack", EST, EST)]
        self.assertIn("second handshake-ack", kinds(check(rows), P.RULES[4]))
        rows[3].role = "data"
        self.assertEqual(check(rows), [])

    def test_phase(self):
        rows = handshake()
        for r, phase in zip(rows, ("handshake", "handshake", "handshake")):
            r.phase = phase
        self.assertEqual(check(rows), [])
        rows[2].phase = "data"
        self.assertIn("phase", kinds(check(rows), P.RULES[4]))

    def test_role_against_flags(self):
        rows = handshake()
        rows[2].role = "syn"
        self.assertIn("role against flags", kinds(check(rows), P.RULES[4]))

    def test_segment_without_tree(self):
        fields = P.RAW_FIELDS + P.TREE_FIELDS + P.OPTIONAL_FIELDS + ["tcpstate.untracked"]
        raw = {"frame.number": "7", "frame.time_epoch": "1.0", "frame.protocols": "eth:ip:tcp",
               "tcp.stream": "0", "tcp.flags": "0x0002", "tcp.seq_raw": "1", "tcp.ack_raw": "0"}
        line = P.SEP.join(raw.get(f, "") for f in fields)
        rows, missing = P.parse_rows(line + "\n", fields)
        self.assertEqual((rows, missing), ([], [(7, 1)]))
        raw["tcpstate.untracked"] = "1"
        line = P.SEP.join(raw.get(f, "") for f in fields)
        self.assertEqual(P.parse_rows(line + "\n", fields), ([], []))
        # A TCP header quoted in an ICMP error is no segment.
        raw["tcpstate.untracked"], raw["frame.protocols"] = "", "eth:ip:icmp:ip:tcp"
        line = P.SEP.join(raw.get(f, "") for f in fields)
        self.assertEqual(P.parse_rows(line + "\n", fields), ([], []))

    def test_possible_story_is_quiet(self):
        rows = handshake() + [
            row(4, 0.5, "client", PA, C_ISN + 1, S_ISN + 1, 10, "data", EST, EST),
            row(5, 0.6, "server", A, S_ISN + 1, C_ISN + 11, 0, "ack", EST, EST),
            row(6, 1.0, "client", FA, C_ISN + 11, S_ISN + 1, 0, "fin",
                ("ESTABLISHED", "FIN-WAIT-1"), ("ESTABLISHED", "CLOSE-WAIT"), step=1),
            row(7, 1.01, "server", FA, S_ISN + 1, C_ISN + 12, 0, "fin+ack-of-fin",
                ("FIN-WAIT-1", "TIME-WAIT"), ("CLOSE-WAIT", "LAST-ACK"), step=2),
            row(8, 1.02, "client", A, C_ISN + 12, S_ISN + 2, 0, "final-ack",
                ("TIME-WAIT", "TIME-WAIT"), ("LAST-ACK", "CLOSED"), step=3)]
        self.assertEqual(check(rows), [])


class FailsClosed(unittest.TestCase):
    def test_plugin_not_loaded(self):
        missing = os.path.join(os.path.dirname(__file__), "no-such-plugin.so")
        self.assertEqual(P.main([missing, os.devnull]), 2)


if __name__ == "__main__":
    unittest.main()
