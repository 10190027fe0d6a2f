#!/usr/bin/env python3
"""Write seed inputs for fuzz_core (tests/fuzz/fuzz_core.c's record layout) into DIR:
coherent connections (open, data, every kind of close, resets, retransmissions)
so that the fuzzer starts from deep states.  Usage: seeds.py DIR"""
import os
import struct
import sys

SYN, FIN, RST, PSH, ACK = 0x002, 0x001, 0x004, 0x008, 0x010
FIRST = 1 << 12  # from_first bit in the flags word


def rec(flags, seq, ack, length=0, client=True, step_us=1000, window=64240):
    f = flags | (FIRST if client else 0)
    return struct.pack('<HIIHHHHBB', f, seq & 0xffffffff, ack & 0xffffffff, length, window,
                       step_us, 0, 0, 0)


def conn(close, data=2, rexmit=False):
    c, s = 1000, 900000
    out = [rec(SYN, c, 0)]
    if rexmit:
        out.append(rec(SYN, c, 0, step_us=0x8000 | 1))
    out += [rec(SYN | ACK, s, c + 1, client=False), rec(ACK, c + 1, s + 1)]
    c += 1
    s += 1
    for _ in range(data):
        out.append(rec(PSH | ACK, c, s, 100))
        c += 100
        out.append(rec(PSH | ACK, s, c, 1448, client=False))
        s += 1448
        out.append(rec(ACK, c, s))
    if close == 'four-way':
        out += [rec(FIN | ACK, c, s), rec(ACK, s, c + 1, client=False),
                rec(FIN | ACK, s, c + 1, client=False), rec(ACK, c + 1, s + 1)]
    elif close == 'merged':
        out += [rec(FIN | ACK, c, s), rec(FIN | ACK, s, c + 1, client=False), rec(ACK, c + 1, s + 1)]
    elif close == 'simultaneous':
        out += [rec(FIN | ACK, c, s), rec(FIN | ACK, s, c, client=False),
                rec(ACK, c + 1, s + 1), rec(ACK, s + 1, c + 1, client=False)]
    elif close == 'half':
        out += [rec(FIN | ACK, c, s), rec(ACK, s, c + 1, client=False),
                rec(PSH | ACK, s, c + 1, 500, client=False), rec(ACK, c + 1, s + 500),
                rec(FIN | ACK, s + 500, c + 1, client=False), rec(ACK, c + 1, s + 501)]
    elif close == 'rst':
        out += [rec(RST | ACK, c, s)]
    elif close == 'lost-final-ack':
        out += [rec(FIN | ACK, c, s), rec(FIN | ACK, s, c + 1, client=False), rec(ACK, c + 1, s + 1),
                rec(FIN | ACK, s, c + 1, client=False, step_us=0x8000 | 2), rec(ACK, c + 1, s + 1)]
    elif close == 'reuse':
        out += [rec(FIN | ACK, c, s), rec(FIN | ACK, s, c + 1, client=False), rec(ACK, c + 1, s + 1),
                rec(SYN, c + 77777, 0, step_us=0x8000 | 100), rec(SYN | ACK, 5, c + 77778, client=False)]
    return out


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    seeds = {}
    for close in ('four-way', 'merged', 'simultaneous', 'half', 'rst', 'lost-final-ack', 'reuse', 'open'):
        seeds[close] = conn(close)
    seeds['rexmit-syn'] = conn('four-way', data=1, rexmit=True)
    seeds['refused'] = [rec(SYN, 1, 0), rec(RST | ACK, 0, 2, client=False)]
    seeds['syn-timeout'] = [rec(SYN, 1, 0), rec(SYN, 1, 0, step_us=0x8000 | 1), rec(SYN, 1, 0, step_us=0x8000 | 2)]
    seeds['midstream'] = [rec(PSH | ACK, 5000, 9000, 10), rec(ACK, 9000, 5010, client=False),
                          rec(FIN | ACK, 5010, 9000), rec(FIN | ACK, 9000, 5011, client=False),
                          rec(ACK, 5011, 9001)]
    seeds['simultaneous-open'] = [rec(SYN, 1, 0), rec(SYN, 100, 0, client=False),
                                  rec(SYN | ACK, 1, 101), rec(SYN | ACK, 100, 2, client=False)]
    seeds['odd-flags'] = [rec(SYN | FIN, 1, 0), rec(0, 2, 0), rec(FIN | RST, 3, 0, client=False)]
    for name, recs in seeds.items():
        with open(os.path.join(d, name), 'wb') as f:
            f.write(bytes([240]) + b''.join(recs))  # MSL byte: 60 s


if __name__ == '__main__':
    main()
