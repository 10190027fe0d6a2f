#!/usr/bin/python3
"""The text oracle (issue 11): every number and claim the Why lines make is
recomputed from the raw header fields and compared; Wireshark's own
tcp.analysis flags are compared with what the texts say about
retransmissions, keep-alives, duplicate ACKs, zero-window probes and window
updates. Both languages, every segment of every capture given.

    tests/texts/oracle.py PATH/TO/tcpstate.so CAPTURE...

Exits 1 on any disagreement, on a capture the plugin produced no texts for
while it has TCP, or when the build under test did not load (fail closed).
The recomputation here is independent of core/wire.c: it follows RFC 9293
section 3.4 (a SYN and a FIN each take one number, data its length) and
keeps per direction the ISN, the first seq seen, the highest number sent
and the latest ack.
"""
import concurrent.futures
import json
import os
import re
import subprocess
import sys

def _tshark_minor():
    import subprocess
    out = subprocess.run(["tshark", "--version"], capture_output=True, text=True).stdout
    m = re.search(r"TShark \(Wireshark\) (\d+\.\d+)", out)
    return m.group(1) if m else ""


# Wireshark's own flags the texts are compared with. Its duplicate-ACK and
# window-update rules differ between versions (4.4 calls the ACKs that follow
# a simultaneous open's crossing SYN-ACKs duplicate ACKs, 4.0 window updates);
# the texts follow 4.0's, so on other versions those two are not compared.
WS_COMPARED = [("keepalive", "tcp.analysis.keep_alive"), ("zwp", "tcp.analysis.zero_window_probe"),
               ("keepalive_ack", "tcp.analysis.keep_alive_ack")]
if _tshark_minor() == "4.0":
    WS_COMPARED += [("window_update", "tcp.analysis.window_update"),
                    ("dup", "tcp.analysis.duplicate_ack")]
else:
    print("texts oracle: Wireshark %s: duplicate ACKs and window updates not compared with "
          "Wireshark's flags (its rules differ from 4.0's)" % (_tshark_minor() or "?"))

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TSHARK = os.path.join(ROOT, "scripts", "tshark-with-plugin")
MSL = 30  # the preference's default (docs/spec.md)
LABEL_MAX = 240  # Wireshark 4.0's ITEM_LABEL_LENGTH (epan/proto.h): longer labels are cut and marked

FIELDS = ["frame.number", "frame.time_epoch", "tcp.stream", "tcp.srcport", "tcp.dstport",
          "tcp.seq_raw", "tcp.ack_raw", "tcp.len", "tcp.flags", "tcp.window_size_value",
          "tcp.analysis.retransmission", "tcp.analysis.fast_retransmission",
          "tcp.analysis.spurious_retransmission", "tcp.analysis.out_of_order", "tcp.analysis.keep_alive",
          "tcp.analysis.keep_alive_ack", "tcp.analysis.duplicate_ack",
          "tcp.analysis.zero_window_probe", "tcp.analysis.window_update",
          "tcpstate.sender", "tcpstate.summary", "tcpstate.why",
          "tcp.options.timestamp.tsval", "tcp.options.timestamp.tsecr",
          "tcpstate.client.prev", "tcpstate.client.state",
          "tcpstate.server.prev", "tcpstate.server.state", "tcpstate.role"]

U32 = 2 ** 32

# The claims, by language: (name, regex). Each regex's groups are numbers.
CLAIMS = {
    "en": {
        "seq_isn": r"seq (\d+) \(raw (\d+) = ISN \+ (\d+)\)",
        "seq_mid": r"seq (\d+) \(raw (\d+)\): the \w+(?:'s SYN was not captured| sent no SYN)",
        "seq_syn": r"seq 0 \(raw (\d+)\): the \w+'s SYN carries",
        "sent_before": r"had sent (\d+) bytes? of data before this segment",
        "sent_none": r"had sent no data before this segment",
        "carries": r"it carries (\d+) bytes, numbers (\d+) to (\d+)",
        "carries1": r"it carries 1 byte, number (\d+)",
        "next": r"next new segment starts at seq (\d+)",
        "fin": r"the FIN takes sequence number (\d+), so the \w+ acknowledges it with ack (\d+)",
        "ack": r"(?:^|\] )ack (\d+) \(raw (\d+)\)",
        "acked_bytes": r"(\d+) new bytes? \(numbers (\d+) to (\d+)\)",
        "nothing_new": r"it acknowledges nothing new",
        "no_ack_flag": r"no ACK flag: the ack field means nothing",
        "retrans": r"(?:a|a fast|partly a) retransmission: the \w+ had already sent up to number (\d+), and goes back to (\d+)",
        "ack_stood": r"the \w+'s ack stood at (\d+)",
        "synack_isn": r"it acknowledges the \w+'s SYN, which was not captured, and shows that its ISN was (\d+)",
        "acked_unseen": r"it acknowledges (\d+) numbers? of the \w+ beyond its own ack before \(raw (\d+)\), none of them captured",
        "fin_gap": r"it enters [A-Z-]+ once it also has (?:number (\d+)|numbers (\d+) to (\d+)), which the capture did not show; an ack (\d+) from it",
        "above_ack": r"the \w+'s ack stood at \d+, below it",
        "latest": r"it re-sends its latest unacknowledged segment",
        "fills": r"the \w+ had already sent up to number (\d+); it fills numbers skipped before \((?:number (\d+) was|(\d+) to (\d+) were) missing\)",
        "mixed": r"the \w+ had already sent up to number (\d+); numbers (\d+) to (\d+) held more than one gap",
        "keepalive": r"a keep-alive probe",
        "keepalive_ack": r"it answers the \w+'s keep-alive probe \(frame (\d+)\)",
        "dup": r"a duplicate ACK \((\d+) in a row\)",
        "zwp": r"a zero-window probe",
        "window_update": r"a window update, the window (?:field )?goes from (\d+)",
        "tw_until": r"the (client|server) is in TIME-WAIT until ([\d.]+) s after this segment",
        "echo_older": r"its timestamp echo \(TSecr\) is older than the timestamp \(TSval\) of the (client|server)'s repeated FIN",
        "echo_same": r"its timestamp echo \(TSecr\) is not older than the timestamp \(TSval\) of the (client|server)'s repeated FIN",
        "echo_can": r"the (client|server)'s answer can show it: if its timestamp echo is older than this repeat's",
        "echo_new": r"its timestamp echo \(TSecr\) is the timestamp \(TSval\) of the (client|server)'s repeated FIN\. Had the (?:client|server)'s earlier FIN reached it, it would have been in TIME-WAIT",
    },
    "zh": {
        "seq_isn": r"seq (\d+)（原始值 (\d+) = 初始序号 \+ (\d+)）",
        "seq_mid": r"seq (\d+)（原始值 (\d+)）：(?:没有抓到|\S+没有发送 SYN)",
        "seq_syn": r"seq 0（原始值 (\d+)）：\S+的 SYN 携带",
        "sent_before": r"此前已发送 (\d+) 字节数据()",
        "sent_none": r"此前尚未发送数据",
        "carries": r"它携带 (\d+) 字节，序号 (\d+) 到 (\d+)",
        "carries1": r"它携带 1 字节，序号 (\d+)(?! 到)",
        "next": r"下一个新报文段从 seq (\d+) 开始",
        "fin": r"FIN 占用序号 (\d+)，所以\S+用 ack (\d+) 确认它",
        "ack": r"(?:^|\] )ack (\d+)（原始值 (\d+)）",
        "acked_bytes": r"(\d+) 个新字节（序号 (\d+) 到 (\d+)）",
        "nothing_new": r"它没有确认新的数据",
        "no_ack_flag": r"没有 ACK 标志：确认号字段在这里没有意义",
        "retrans": r"(?:这是重传|这是快速重传|部分是重传)：\S+?此前已经发送到序号 (\d+)，现在回到 (\d+)",
        "ack_stood": r"(?:客户端|服务器)的确认号停在 (\d+)",
        "synack_isn": r"它确认\S+?的 SYN（没有被抓到），并说明其初始序号为 (\d+)",
        "acked_unseen": r"它确认了 (\d+) 个序号：\S+?在它自己之前的确认号（原始值 (\d+)）之后的序号，这些都没有被抓到",
        "fin_gap": r"它进入 [A-Z-]+ 的前提是也收到了(?:序号 (\d+)|序号 (\d+) 到 (\d+))（没有被抓到）；它发出的 ack (\d+)",
        "above_ack": r"(?:客户端|服务器)的确认号停在 \d+，比它小",
        "latest": r"它重发的是自己最近一个未被确认的报文段",
        "fills": r"\S+?此前已经发送到序号 (\d+)；它补上了之前缺失的序号（(?:(\d+)|(\d+) 到 (\d+))）",
        "mixed": r"\S+?此前已经发送到序号 (\d+)；序号 (\d+) 到 (\d+) 之间有不止一处抓包缺失的序号",
        "keepalive": r"这是保活探测",
        "keepalive_ack": r"它回应\S+?的保活探测（第 (\d+) 帧）",
        "dup": r"重复确认（连续第 (\d+) 个）",
        "zwp": r"这是零窗口探测",
        "window_update": r"这是窗口更新[，：]窗口(?:字段)?从 (?:SYN 中的 )?(\d+)",
        "tw_until": r"(客户端|服务器)处于 TIME-WAIT，直到本报文段之后 ([\d.]+) 秒",
        "echo_older": r"它回显的时间戳（TSecr）早于(客户端|服务器)重发的 FIN 的时间戳（TSval）",
        "echo_same": r"它回显的时间戳（TSecr）不早于(客户端|服务器)重发的 FIN 的时间戳（TSval）",
        "echo_can": r"；(客户端|服务器)的应答可以说明：若它回显的时间戳早于这次重发的时间戳",
        "echo_new": r"它回显的时间戳（TSecr）正是(客户端|服务器)重发的 FIN 的时间戳（TSval）。若(?:客户端|服务器)在重发之前发出的 FIN 已经到达它，它那时处于 TIME-WAIT",
    },
}
SIDE = {"客户端": "client", "服务器": "server", "client": "client", "server": "server"}


def rel(raw, base):
    return (raw - base) % U32


def before(a, b):
    return ((a - b) % U32) >= 2 ** 31


class Direction:
    def __init__(self):
        self.isn = None        # from a SYN
        self.isn_ack = None    # its SYN not captured: the peer's SYN+ACK's ack - 1 (RFC 9293 3.4)
        self.first = None      # first seq seen
        self.snd_max = None    # one past the highest number sent
        self.rst_max = None    # the highest sequence number of its RSTs
        self.fin = None        # number of its FIN
        self.ack = None        # latest (highest) ack sent
        self.fin_repeat_tsval = None  # TSval of its FIN's first repeat (RFC 7323)

    def base(self):
        if self.isn is not None:
            return self.isn
        if self.isn_ack is not None:
            return self.isn_ack
        return None if self.first is None else (self.first - 1) % U32


def run(so, pcap, lang):
    args = [TSHARK, so, "-r", pcap, "-o", "tcp.analyze_sequence_numbers:TRUE",
            "-o", "tcpstate.language:" + ("zh_CN" if lang == "zh" else "en"), "-T", "json"]
    for f in FIELDS:
        args += ["-e", f]
    out = subprocess.run(args, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError("tshark failed on %s: %s" % (pcap, out.stderr.strip()[:300]))
    return json.loads(out.stdout or "[]")


def shown_cut_lines(so, pcap, lang):
    args = [TSHARK, so, "-r", pcap, "-o", "tcp.analyze_sequence_numbers:TRUE",
            "-o", "tcpstate.language:" + ("zh_CN" if lang == "zh" else "en"), "-V", "-O", "tcpstate"]
    out = subprocess.run(args, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError("tshark -V failed on %s: %s" % (pcap, out.stderr.strip()[:300]))
    frame, inside, cut = None, False, []
    for line in out.stdout.splitlines():
        m = re.match(r"Frame (\d+):", line)
        if m:
            frame = int(m.group(1))
        if line.startswith(("[TCP Connection State", "[TCP 连接状态")):
            inside = True
        elif line and not line.startswith(" "):
            inside = False
        if inside and ("[truncated]" in line or "[\u2026]" in line):
            cut.append((frame, line))
    return cut


def plugin_loaded(so):
    out = subprocess.run([TSHARK, so, "-G", "plugins"], capture_output=True, text=True)
    return "tcpstate" in out.stdout


def check_capture(so, pcap, lang, stats):
    errors = []
    packets = run(so, pcap, lang)
    dirs = {}
    tw_entry = {}   # (stream, side) -> time it entered TIME-WAIT
    tcp_frames = texts = 0
    rx = {k: re.compile(v) for k, v in CLAIMS[lang].items()}

    def fail(frame, msg, text):
        errors.append("%s [%s] frame %s: %s\n    %s" % (os.path.basename(pcap), lang, frame, msg, text[:600]))

    # Every line of the tree as Wireshark shows it: a label longer than
    # LABEL_MAX is cut and marked (4.0 "[truncated]", 4.4 "[…]"). A Why
    # sentence is shown over several lines (its value stays whole), so the
    # shown lines are checked here, not the field values.
    for frame, line in shown_cut_lines(so, pcap, lang):
        fail(frame, "a tree line Wireshark cuts off", line)

    for p in packets:
        L = p["_source"]["layers"]
        g = lambda k: L.get(k, [])
        if len(g("tcp.seq_raw")) != 1 or len(g("tcp.stream")) != 1:
            continue  # several TCP layers, or none: claims cannot be tied to one header
        tcp_frames += 1
        frame = int(g("frame.number")[0])
        whys = g("tcpstate.why")
        summary = (g("tcpstate.summary") or [""])[0]
        if not whys or not summary:
            if g("tcpstate.sender"):
                fail(frame, "a tracked segment without summary or Why lines", summary)
            continue
        if not (g("tcp.len") and g("tcp.ack_raw") and g("tcp.flags")):
            # Wireshark gave no length, ack or flags for this header (4.4 on a
            # header it reads differently, e.g. cisco-fabric-path.pcap): the
            # claims cannot be recomputed; counted and printed, not passed.
            stats["unchecked"] = stats.get("unchecked", 0) + 1
            continue
        texts += 1
        text = "] ".join([""] + whys)  # each line starts after "] "
        seq, ack = int(g("tcp.seq_raw")[0]), int(g("tcp.ack_raw")[0])
        length = int(g("tcp.len")[0])
        flags = int(g("tcp.flags")[0], 16)
        syn, fin, rst, ackf = flags & 2, flags & 1, flags & 4, flags & 16
        stream = int(g("tcp.stream")[0])
        key = (stream, int(g("tcp.srcport")[0]), int(g("tcp.dstport")[0]))
        pkey = (stream, key[2], key[1])
        me = dirs.setdefault(key, Direction())
        peer = dirs.setdefault(pkey, Direction())
        t = float(g("frame.time_epoch")[0])
        sender = g("tcpstate.sender")[0]
        n_claims = 0

        # A new ISN on a SYN starts the direction over (a new connection).
        if syn and not rst and me.isn is not None and me.isn != seq:
            dirs[key] = me = Direction()
            dirs[pkey] = peer = Direction()
        base = seq if (syn and not rst) else me.base()
        end = (seq + length + (1 if syn else 0) + (1 if fin else 0)) % U32
        if rst:
            end = seq
        sent_max = me.snd_max

        for m in rx["seq_isn"].finditer(text):
            n_claims += 1
            isn = me.isn if me.isn is not None else me.isn_ack
            if int(m.group(2)) != seq or isn is None or int(m.group(1)) != rel(seq, isn) \
                    or int(m.group(3)) != rel(seq, isn):
                fail(frame, "seq claim disagrees: raw %d, ISN %s" % (seq, isn), m.group(0))
        for m in rx["seq_mid"].finditer(text):
            n_claims += 1
            b = me.base() if me.first is not None else (seq - 1) % U32
            if int(m.group(2)) != seq or int(m.group(1)) != rel(seq, b):
                fail(frame, "mid-stream seq claim disagrees (raw %d)" % seq, m.group(0))
        for m in rx["seq_syn"].finditer(text):
            n_claims += 1
            if not syn or int(m.group(1)) != seq:
                fail(frame, "SYN seq claim on a segment without SYN or with another seq", m.group(0))
        if me.isn is not None and not syn:
            top = seq if sent_max is None or before(sent_max, seq) or sent_max == seq else sent_max
            if not before(seq, sent_max if sent_max is not None else seq):
                top = seq
            data = rel(top, me.isn) - 1
            if me.fin is not None and before(me.fin, top):
                data -= 1
            for m in rx["sent_before"].finditer(text):
                n_claims += 1
                if int(m.group(1)) != data:
                    fail(frame, "bytes sent before: text %s, fields %d" % (m.group(1), data), m.group(0))
            if rx["sent_none"].search(text):
                n_claims += 1
                if data != 0:
                    fail(frame, "'no data before' but %d bytes were sent" % data, text)
        if base is not None:
            first = rel(seq, base) + (1 if syn else 0)
            for m in rx["carries"].finditer(text):
                n_claims += 1
                if (int(m.group(1)), int(m.group(2)), int(m.group(3))) != (length, first, first + length - 1):
                    fail(frame, "payload claim disagrees: len %d from %d" % (length, first), m.group(0))
            for m in rx["carries1"].finditer(text):
                n_claims += 1
                if length != 1 or int(m.group(1)) != first:
                    fail(frame, "1-byte payload claim disagrees: len %d from %d" % (length, first), m.group(0))
            for m in rx["fin"].finditer(text):
                n_claims += 1
                f = first + length
                if not fin or (int(m.group(1)), int(m.group(2))) != (f, f + 1):
                    fail(frame, "FIN claim disagrees (FIN at %d)" % f, m.group(0))
            for m in rx["next"].finditer(text):
                n_claims += 1
                nxt = end if sent_max is None or before(sent_max, end) else sent_max
                if int(m.group(1)) != rel(nxt, base):
                    fail(frame, "next new seq: text %s, fields %d" % (m.group(1), rel(nxt, base)), m.group(0))
        if length and not re.search(r"\d", summary):
            fail(frame, "the summary does not mention the %d bytes" % length, summary)

        # The ack.
        for m in rx["no_ack_flag"].finditer(text):
            n_claims += 1
            if ackf:
                fail(frame, "'no ACK flag' claim disagrees", m.group(0))
        if not ackf and re.search(r"sends an ACK|发送不带数据的 ACK", summary):
            fail(frame, "the summary says ACK on a segment without the ACK flag", summary)
        pbase = peer.base()
        for m in rx["ack"].finditer(text):
            n_claims += 1
            if not ackf or int(m.group(2)) != ack or (pbase is not None and int(m.group(1)) != rel(ack, pbase)):
                fail(frame, "ack claim disagrees (raw %d)" % ack, m.group(0))
        prev_ack = prev_ack_before = me.ack
        for m in rx["acked_bytes"].finditer(text):
            n_claims += 1
            nb, lo, hi = int(m.group(1)), int(m.group(2)), int(m.group(3))
            start = prev_ack if prev_ack is not None else (peer.isn if peer.isn is not None else peer.first)
            count = rel(ack, start) if start is not None else -1
            syn_in = peer.isn is not None and start == peer.isn
            fin_in = peer.fin is not None and not before(peer.fin, start) and before(peer.fin, ack)
            want = count - syn_in - fin_in
            if nb != want or hi - lo + 1 != nb or pbase is None or hi != rel(ack, pbase) - 1 - fin_in:
                fail(frame, "acknowledged bytes: text %d (%d..%d), fields %d" % (nb, lo, hi, want), m.group(0))
        if rx["nothing_new"].search(text):
            n_claims += 1
            if prev_ack is not None and before(prev_ack, ack):
                fail(frame, "'nothing new' but the ack moved from %d to %d" % (prev_ack, ack), text)

        # What Wireshark's analysis knows.
        ws_re = bool(g("tcp.analysis.retransmission") or g("tcp.analysis.fast_retransmission")
                     or g("tcp.analysis.spurious_retransmission"))
        # What the texts assert, without the other story a FIN in doubt names
        # (core/unshown.c, FIN_MAY_REPEAT: "The other story: ... this repeats
        # it (a simultaneous close)"): a story the capture cannot rule out is
        # no claim that the segment repeats anything.
        asserted = re.sub(r"The other story: .*?\(a simultaneous close\)|另一种可能：.*?（同时关闭）", "",
                          summary + text, flags=re.S)
        says_re = bool(re.search(r"(?<!partly )\ba (fast )?retransmission|retransmission of the SYN|"
                                 r"retransmission, attempt|repeats|这是重传|这是快速重传|SYN 的重传|重发它的|重传（第",
                                 asserted))
        # Numbers filled into a gap may be a retransmission whose first
        # transmission was not captured, or out of order: either agrees. Bytes
        # the capture saw before, sent again within a round trip, Wireshark
        # calls out of order; the texts call them sent again (checked below).
        fills = re.search(r"it fills numbers skipped before|它补上了之前缺失的序号", text)
        # Several gaps kept as one range (core/wire.c): the texts say the
        # segment fills skipped numbers or repeats captured ones; either agrees.
        fills = fills or re.search(r"fills numbers skipped there or carries again|补上了那里缺失的序号，或是再次发送",
                                   text)
        ooo = bool(g("tcp.analysis.out_of_order")) and says_re
        # A SYN+ACK repeating the ISN of its sender's own SYN in a
        # simultaneous open (RFC 9293 section 3.5) is no retransmission,
        # though Wireshark flags it; the texts say why.
        simo = (syn and me.isn is not None and seq == me.isn
                and re.search(r"in a simultaneous open each side answers|同时打开时，双方都用 SYN\+ACK", text))
        # A segment on its sender's own SYN number: the texts say it reuses
        # that number (Wireshark calls any seq below the next a retransmission).
        on_syn = (not syn and me.isn is not None and seq == me.isn
                  and re.search(r"it reuses the number its SYN took|它重用了 SYN 占用的序号", text))
        # Wireshark counts an RST's sequence number as sent, even an RST the
        # receiver did not accept (RFC 5961 section 3: not the next number
        # expected); a later segment at the sender's true next number is then
        # "a retransmission" to Wireshark. The texts are right when nothing
        # but an RST ever went beyond it.
        past_rst = (ws_re and not says_re and sent_max is not None and not before(seq, sent_max)
                    and me.rst_max is not None and before(seq, me.rst_max))
        if (ws_re != says_re and not g("tcp.analysis.keep_alive") and not fills and not ooo and not simo
                and not on_syn and not past_rst):
            fail(frame, "Wireshark says retransmission=%s, the texts %s" % (ws_re, says_re), summary + text)
        for m in rx["retrans"].finditer(text):
            n_claims += 1
            if sent_max is None or me.base() is None or not before(seq, sent_max) \
                    or int(m.group(1)) != rel(sent_max, me.base()) - 1 or int(m.group(2)) != rel(seq, me.base()):
                fail(frame, "retransmission claim disagrees (sent up to %s)" % sent_max, m.group(0))
        # A SYN+ACK's ack is the peer's ISN + 1 (RFC 9293 section 3.4); the
        # acks after it count from the sender's own ack before, the peer unseen.
        for m in rx["synack_isn"].finditer(text):
            n_claims += 1
            if not (syn and ackf) or rst or peer.first is not None or int(m.group(1)) != (ack - 1) % U32:
                fail(frame, "the SYN+ACK's ISN claim disagrees (ack %d)" % ack, m.group(0))
        for m in rx["acked_unseen"].finditer(text):
            n_claims += 1
            if not ackf or peer.first is not None or me.ack is None or int(m.group(2)) != me.ack \
                    or int(m.group(1)) != rel(ack, me.ack):
                fail(frame, "acknowledged-unseen claim disagrees (its ack before %s)" % me.ack, m.group(0))
        # Where the peer's ack stood under a retransmission, and whether the
        # segment starts above it (amid what was sent, or the latest segment).
        for m in rx["ack_stood"].finditer(text):
            n_claims += 1
            if peer.ack is None or me.base() is None or int(m.group(1)) != rel(peer.ack, me.base()):
                fail(frame, "the peer's ack claim disagrees (its ack %s)" % peer.ack, m.group(0))
        above = peer.ack is not None and before(peer.ack, seq)
        latest = sent_max is not None and not before(end, sent_max)
        if rx["above_ack"].search(text):
            n_claims += 1
            if not above or latest:
                fail(frame, "'ack below it' on a segment not above the ack amid what was sent", text)
        if rx["latest"].search(text):
            n_claims += 1
            if not above or not latest:
                fail(frame, "'its latest unacknowledged segment' disagrees", text)
        # A FIN beyond numbers not captured: the numbers its receiver needs
        # first (from the highest sent to the FIN's seq) and the ack of it.
        for m in rx["fin_gap"].finditer(text):
            n_claims += 1
            lo = int(m.group(1) or m.group(2))
            hi = int(m.group(1) or m.group(3))
            b = me.base()
            if not fin or b is None or sent_max is None or not before(sent_max, seq) \
                    or (lo, hi, int(m.group(4))) != (rel(sent_max, b), rel(seq, b) - 1, rel(end, b)):
                fail(frame, "FIN-after-gap claim disagrees", m.group(0))
        # A segment filling numbers a gap skipped: how far its sender had got,
        # and the skipped numbers, which lie between what was sent and hold it.
        for m in rx["fills"].finditer(text):
            n_claims += 1
            upto = int(m.group(1))
            lo = int(m.group(2) or m.group(3))
            hi = int(m.group(2) or m.group(4))
            b = me.base()
            if sent_max is None or b is None or not before(seq, sent_max) or upto != rel(sent_max, b) - 1 \
                    or not (lo <= rel(seq, b) and rel(end, b) - 1 <= hi and hi <= upto):
                fail(frame, "gap-filling claim disagrees (sent up to %s)" % sent_max, m.group(0))
        for m in rx["mixed"].finditer(text):
            n_claims += 1
            upto, lo, hi = int(m.group(1)), int(m.group(2)), int(m.group(3))
            b = me.base()
            if sent_max is None or b is None or not before(seq, sent_max) or upto != rel(sent_max, b) - 1 \
                    or not (lo <= rel(seq, b) and rel(end, b) - 1 <= hi and hi <= upto):
                fail(frame, "merged-gaps claim disagrees (sent up to %s)" % sent_max, m.group(0))
        for name, ws in WS_COMPARED:
            says = bool(rx[name].search(text))
            n_claims += says
            # A window update needs an earlier window of the same side. On a
            # side's first ACK Wireshark 4.0 may still flag one: its rule
            # compares seq and ack with the direction's next seq and last ack,
            # which start at 0 (zeek's syn-then-ack-then-rst.pcap frame 2: raw
            # seq and ack 0), so that flag is no window update the texts could
            # say (docs/oracle.md, "The text oracle").
            if name == "window_update" and prev_ack_before is None and not says:
                continue
            # Wireshark's keep-alive flag looks at seq and length only. A
            # probe's byte is one the peer has acknowledged (RFC 9293 section
            # 3.8.4: probes are sent when everything is); a byte it has not
            # is data, e.g. the retransmission of one the capture missed.
            unacked_byte = length == 1 and (peer.ack is None or not before(seq, peer.ack))
            if name == "keepalive" and says and unacked_byte:
                fail(frame, "a keep-alive probe whose byte the peer never acknowledged", text)
                continue
            if name == "keepalive" and g(ws) and unacked_byte:
                continue
            if bool(g(ws)) != says:
                fail(frame, "Wireshark %s=%s, the texts %s" % (ws, bool(g(ws)), says), text)

        # TIME-WAIT: 2MSL after the capture time it was entered, restarted by
        # a FIN it receives there (RFC 9293 section 3.10.7.4).
        for side in ("client", "server"):
            prev, now = g("tcpstate.%s.prev" % side), g("tcpstate.%s.state" % side)
            if now and now[0] == "TIME-WAIT" and prev and (prev[0] != "TIME-WAIT" or (fin and sender != side)):
                tw_entry[(stream, side)] = t
        for m in rx["tw_until"].finditer(text):
            n_claims += 1
            side = SIDE[m.group(1)]
            since = tw_entry.get((stream, side))
            if since is None or abs(float(m.group(2)) - (2 * MSL - (t - since))) > 0.0015:
                fail(frame, "TIME-WAIT end disagrees (entered at %s)" % since, m.group(0))

        # The timestamp echo (RFC 7323 section 4.3): a repeated FIN's words
        # need the option on it; an answer's need its echo against the TSval
        # of the first repeat of the FIN it acknowledges.
        tsval, tsecr = g("tcp.options.timestamp.tsval"), g("tcp.options.timestamp.tsecr")
        repeat = fin and not rst and me.fin is not None and me.fin == (end - 1) % U32
        for m in rx["echo_can"].finditer(text):
            n_claims += 1
            if not repeat or not tsval or SIDE[m.group(1)] == sender:
                fail(frame, "'the answer can show it' on a segment that is no repeated FIN with timestamps",
                     m.group(0))
        # What each answer's claim says of its echo against the repeat's
        # TSval: older, not older, or (core/unshown.c, the other way) the
        # repeat's own while the model had it in TIME-WAIT.
        prev = g("tcpstate.%s.prev" % sender)
        echo_claims = {
            "echo_older": lambda echo, rep: before(echo, rep),
            "echo_same": lambda echo, rep: not before(echo, rep),
            "echo_new": lambda echo, rep: echo == rep and prev[:1] == ["TIME-WAIT"],
        }
        for name, holds in echo_claims.items():
            for m in rx[name].finditer(text):
                n_claims += 1
                rep = peer.fin_repeat_tsval
                if rep is None or not tsecr or SIDE[m.group(1)] == sender or peer.fin is None \
                        or not before(peer.fin, ack) or not holds(int(tsecr[0]), rep):
                    fail(frame, "timestamp echo claim disagrees (TSecr %s, the repeat's TSval %s, prev %s)"
                         % (tsecr, rep, prev), m.group(0))
        if repeat and tsval and me.fin_repeat_tsval is None:
            me.fin_repeat_tsval = int(tsval[0])

        stats["claims"] += n_claims
        # The direction's bookkeeping after the segment.
        if me.first is None:
            me.first = seq
        if syn and not rst:
            me.isn = seq
        # Wireshark's relative numbers, and the texts', count an uncaptured
        # SYN's side from the ISN its peer's SYN+ACK acknowledges.
        if syn and ackf and not rst and peer.isn is None and peer.first is None and peer.isn_ack is None:
            peer.isn_ack = (ack - 1) % U32
        if fin and not rst and me.fin is None:
            me.fin = (end - 1) % U32
        if not rst and (me.snd_max is None or before(me.snd_max, end)):
            me.snd_max = end
        if rst and (me.rst_max is None or before(me.rst_max, seq)):
            me.rst_max = seq
        if ackf and not rst and (me.ack is None or before(me.ack, ack)):
            me.ack = ack

    if tcp_frames and not texts:
        errors.append("%s [%s]: %d TCP frames but no texts (did the plugin load?)" % (pcap, lang, tcp_frames))
    stats["frames"] += texts
    return errors


def check_one(so, pcap, lang):
    """One capture in one language: its errors and its counts."""
    stats = {"claims": 0, "frames": 0}
    try:
        return check_capture(so, pcap, lang, stats), stats
    except (RuntimeError, json.JSONDecodeError) as e:
        return ["%s [%s]: %s" % (pcap, lang, e)], stats


def main():
    so, captures = sys.argv[1], sys.argv[2:]
    if not plugin_loaded(so):
        print("FAIL: tshark did not load %s" % so)
        return 1
    # Each capture and language is one tshark run, independent of the others:
    # run them side by side (TCPSTATE_ORACLE_JOBS, default the CPU count);
    # the report keeps the order of the arguments.
    jobs = int(os.environ.get("TCPSTATE_ORACLE_JOBS", "0")) or os.cpu_count() or 1
    tasks = [(pcap, lang) for pcap in captures for lang in ("en", "zh")]
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        results = list(pool.map(lambda task: check_one(so, *task), tasks))
    stats = {"claims": 0, "frames": 0, "unchecked": 0}
    errors = []
    for errs, st in results:
        errors += errs
        stats["claims"] += st["claims"]
        stats["frames"] += st["frames"]
        stats["unchecked"] += st.get("unchecked", 0)
    if stats["unchecked"]:
        print("not checked: %d segment texts whose TCP length, ack or flags Wireshark did not give"
              % stats["unchecked"])
    for e in errors:
        print("FAIL " + e)
    print("%d captures, %d segment texts, %d claims checked, %d disagreements"
          % (len(captures), stats["frames"], stats["claims"], len(errors)))
    if stats["frames"] == 0 or stats["claims"] == 0:
        print("FAIL: nothing was checked")
        return 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
