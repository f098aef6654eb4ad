#!/usr/bin/python3
"""
Jelly interop peer for pb4j's JellyTwistedInteropTest: real Twisted on the other end of a pipe.

It jellies and unjellies exactly as Perspective Broker does (Broker.serialize /
Broker.unserialize, i.e. twisted.spread.jelly with the broker as invoker and
jelly.globalSecurity as taster) and encodes with twisted.spread.banana.

Protocol: one command per line on stdin, one reply line per value on stdout, hex everywhere.
Prints READY when ready; exits when stdin closes.

  GEN <seed> <count>
      Generates <count> random values from <seed> (nested None/bool/int/float/bytes/str/
      list/tuple/dict/set/frozenset/datetime/date/time/timedelta/Decimal, with shared and
      cyclic structure; a value Twisted cannot read back from its own jelly, as some cyclic
      graphs of tuples, is skipped for the next). For each value prints
        VAL <i> <pb-dialect hex> <none-dialect hex> <utf-8 hex of repr(value)>
      and keeps the value for CHECK.
  CHECK <i> <pb hex> <none hex>
      The peer's re-encoding of value <i>. Compares the bytes with Twisted's own encoding,
      then decodes and unjellies them and compares the result with the original value by
      type, value (floats by bits) and sharing. Prints "OK <i>" or "FAIL <i> <message>".
  ECHO <pb hex>
      Decodes and unjellies a value, jellies and encodes it again. Prints
        ECHO <pb hex> <utf-8 hex of repr(value)>
      or "ERROR <exception type>: <message>".

Run with the interpreter that has Twisted: /usr/bin/python3 jelly_peer.py
"""

import datetime
import decimal
import math
import random
import struct
import sys

try:
    from twisted.internet.testing import StringTransport
    from twisted.spread import banana, pb
except ImportError as e:  # the Java side turns this into an install hint
    print("NO_TWISTED %s" % e, flush=True)
    sys.exit(3)


# --------------------------------------------------------------------------------- codec

class _Sink:
    def __init__(self):
        self.data = []

    def write(self, data):
        self.data.append(data)


def _banana(dialect):
    b = banana.Banana(isClient=1)
    b.setPrefixLimit(banana._PREFIX_LIMIT)
    b.currentDialect = dialect
    b.transport = _Sink()
    return b


def encode(sexp, dialect):
    b = _banana(dialect)
    b.sendEncoded(sexp)
    return b"".join(b.transport.data)


def decode(data, dialect):
    b = _banana(dialect)
    out = []
    b.expressionReceived = out.append
    b.dataReceived(data)
    if len(out) != 1:
        raise ValueError("expected one expression, got %d" % len(out))
    return out[0]


def _broker(is_client):
    broker = pb.Broker(isClient=is_client)
    broker.makeConnection(StringTransport())
    return broker


SENDER = _broker(0)
RECEIVER = _broker(1)


def jelly_bytes(value, dialect):
    return encode(SENDER.serialize(value), dialect)


def unjelly_bytes(data, dialect):
    return RECEIVER.unserialize(decode(data, dialect))


# ----------------------------------------------------------------------------- generator

CODE_POINT_RANGES = [
    (0x20, 0x7E), (0x00, 0x1F), (0x7F, 0xFF), (0x100, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF),
    (0x2000, 0x206F), (0x2600, 0x26FF), (0x4E00, 0x9FA5), (0x1F600, 0x1F64F), (0x10000, 0x1007F),
]
WORDS = ["None", "list", "remote", "reference", "dictionary", "unicode", "x", ""]
MAX_INT = 2 ** 448 - 1


class Generator:
    """Random values with shared and cyclic structure, mirroring pb4j's RandomJellyValues."""

    def __init__(self, rng, max_depth=4):
        self.rng = rng
        self.max_depth = max_depth

    def next(self):
        self.pool = []           # containers made so far: sharing
        self.hashable_pool = []  # tuples and frozensets of hashables: sharing among keys
        self.open = []           # lists and dicts being filled: cycles
        return self.value(self.rng.randint(0, self.max_depth))

    def value(self, depth):
        r = self.rng.randrange(100)
        if r < 6 and self.pool:
            return self.rng.choice(self.pool)
        if r < 9 and self.open:
            return self.rng.choice(self.open)
        if depth > 0 and r < 45:
            return self.container(depth - 1)
        return self.leaf()

    def container(self, depth):
        n = self.rng.randrange(5)
        kind = self.rng.randrange(6)
        if kind in (0, 1):
            lst = []
            self.pool.append(lst)
            self.open.append(lst)
            for _ in range(n):
                lst.append(self.value(depth))
            self.open.pop()  # a stack: by identity, never by ==
            return lst
        if kind == 2:
            d = {}
            self.pool.append(d)
            self.open.append(d)
            for _ in range(n):
                d[self.hashable(depth)] = self.value(depth)
            self.open.pop()
            return d
        if kind == 3:
            t = tuple(self.value(depth) for _ in range(n))
            self.pool.append(t)
            return t
        if kind == 4:
            s = set(self.hashable(depth) for _ in range(n))
            self.pool.append(s)
            return s
        f = frozenset(self.hashable(depth) for _ in range(n))
        self.pool.append(f)
        return f

    def hashable(self, depth):
        r = self.rng.randrange(100)
        if r < 8 and self.hashable_pool:
            return self.rng.choice(self.hashable_pool)
        if depth > 0 and r < 25:
            n = self.rng.randrange(4)
            if self.rng.random() < 0.5:
                c = tuple(self.hashable(depth - 1) for _ in range(n))
            else:
                c = frozenset(self.hashable(depth - 1) for _ in range(n))
            self.hashable_pool.append(c)
            self.pool.append(c)
            return c
        while True:
            v = self.leaf()
            # NaN is never equal to itself: Python keeps two NaN keys apart, Java merges them.
            if not (isinstance(v, float) and math.isnan(v)):
                return v

    def leaf(self):
        k = self.rng.randrange(13)
        if k == 0:
            return None
        if k == 1:
            return self.rng.random() < 0.5
        if k in (2, 3):
            return self.integer()
        if k in (4, 5):
            return self.floating()
        if k == 6:
            return self.bytes_()
        if k in (7, 8):
            return self.text()
        if k == 9:
            return datetime.datetime.combine(self.date(), self.time())
        if k == 10:
            return self.date() if self.rng.random() < 0.5 else self.time()
        if k == 11:
            return self.timedelta()
        return self.decimal()

    def integer(self):
        k = self.rng.randrange(6)
        if k == 0:
            v = self.rng.randrange(-128, 128)
        elif k == 1:
            v = self.rng.randrange(-2 ** 31, 2 ** 31)
        elif k == 2:
            v = self.rng.randrange(-2 ** 63, 2 ** 63)
        elif k == 3:
            v = self.rng.getrandbits(self.rng.randint(1, 447))
        elif k == 4:
            v = self.rng.choice([2 ** 31 - 1, -2 ** 31, 2 ** 31, -2 ** 31 - 1, 2 ** 63 - 1, -2 ** 63, 0])
        else:
            v = self.rng.choice([MAX_INT, 2 ** 447])
        return -v if self.rng.random() < 0.25 else v

    def floating(self):
        k = self.rng.randrange(4)
        if k == 0:
            return self.rng.choice([0.0, -0.0, float("nan"), float("inf"), float("-inf"), 5e-324,
                                    1.7976931348623157e308, 0.1, 1e16, 1e-5, 0.0001, 2e23, 123456789.125])
        if k == 1:
            v = struct.unpack(">d", self.rng.getrandbits(64).to_bytes(8, "big"))[0]
            # Banana sends Python's canonical NaN; other NaN bit patterns are not kept by Java.
            return float("nan") if math.isnan(v) else v
        if k == 2:
            return (self.rng.random() - 0.5) * 10.0 ** self.rng.randint(-20, 19)
        return self.rng.randrange(2000) / 8.0

    def bytes_(self):
        if self.rng.random() < 0.25:
            return self.rng.choice(WORDS).encode()
        return bytes(self.rng.getrandbits(8) for _ in range(self.rng.randrange(12)))

    def text(self):
        if self.rng.random() < 0.25:
            return self.rng.choice(WORDS)
        chars = []
        for _ in range(self.rng.randrange(10)):
            lo, hi = self.rng.choice(CODE_POINT_RANGES)
            chars.append(chr(self.rng.randint(lo, hi)))
        if self.rng.random() < 0.2:
            chars.append(self.rng.choice("'\"") + "\\")
        return "".join(chars)

    def date(self):
        first = datetime.date(1, 1, 1).toordinal()
        last = datetime.date(9999, 12, 31).toordinal()
        return datetime.date.fromordinal(self.rng.randint(first, last))

    def time(self):
        micro = 0 if self.rng.random() < 0.5 else self.rng.randrange(1000000)
        return datetime.time(self.rng.randrange(24), self.rng.randrange(60), self.rng.randrange(60), micro)

    def timedelta(self):
        if self.rng.random() < 0.5:
            days = self.rng.randint(-1000, 1000)
        else:
            days = self.rng.randint(-999999999, 999999999)
        seconds = self.rng.randrange(86400)
        micros = self.rng.randrange(1000000)
        if days == 999999999:
            seconds, micros = 0, 0
        return datetime.timedelta(days=days, seconds=seconds, microseconds=micros)

    def decimal(self):
        coefficient = self.rng.getrandbits(self.rng.randrange(1, 120))
        exponent = self.rng.randint(-30, 30)
        sign = 1 if (coefficient != 0 and self.rng.random() < 0.5) else 0  # -0 loses its sign
        return decimal.Decimal((sign, tuple(int(c) for c in str(coefficient)), exponent))


# ---------------------------------------------------------------------------- comparison

class Mismatch(Exception):
    pass


CONTAINERS = (list, tuple, dict, set, frozenset)


def canonical(v):
    """A key that tells values apart by type and value; floats by bits. For set elements."""
    t = type(v)
    if t is float:
        return ("float", struct.pack(">d", v) if not math.isnan(v) else b"nan")
    if t is tuple:
        return ("tuple", tuple(canonical(e) for e in v))
    if t is frozenset:
        return ("frozenset", frozenset(canonical(e) for e in v))
    if t is decimal.Decimal:
        return ("Decimal", v.as_tuple())
    return (t.__name__, v)


def same(a, b, fwd, bwd, path):
    if type(a) is not type(b):
        raise Mismatch("%s: type %s != %s (%r vs %r)" % (path, type(a).__name__, type(b).__name__,
                                                         _short(a), _short(b)))
    t = type(a)
    if t in CONTAINERS:
        ia, ib = id(a), id(b)
        if ia in fwd or ib in bwd:
            if fwd.get(ia, (None, None))[1] is not b or bwd.get(ib, (None, None))[1] is not a:
                raise Mismatch("%s: sharing differs" % path)
            return
        fwd[ia] = (a, b)  # keep both alive so ids stay unique
        bwd[ib] = (b, a)
        if len(a) != len(b):
            raise Mismatch("%s: length %d != %d" % (path, len(a), len(b)))
        if t in (list, tuple):
            for i, (x, y) in enumerate(zip(a, b)):
                same(x, y, fwd, bwd, "%s[%d]" % (path, i))
        elif t is dict:
            for i, ((k1, v1), (k2, v2)) in enumerate(zip(a.items(), b.items())):
                same(k1, k2, fwd, bwd, "%s.key%d" % (path, i))
                same(v1, v2, fwd, bwd, "%s[%r]" % (path, _short(k1)))
        elif {canonical(x) for x in a} != {canonical(y) for y in b}:
            raise Mismatch("%s: %r != %r" % (path, _short(a), _short(b)))
    elif t is float:
        if not (math.isnan(a) and math.isnan(b)) and struct.pack(">d", a) != struct.pack(">d", b):
            raise Mismatch("%s: %r != %r" % (path, a, b))
    elif t is decimal.Decimal:
        if a.as_tuple() != b.as_tuple():
            raise Mismatch("%s: %r != %r" % (path, a, b))
    elif a != b:
        raise Mismatch("%s: %r != %r" % (path, _short(a), _short(b)))


def twisted_round_trips(v):
    """True if Twisted unjellies its own jelly of v to the same value.

    Some cyclic graphs of tuples fail an assertion in Twisted's own unjelly
    (twisted.persisted.crefutil: "assert not self.resolved"); the oracle has no answer for those.
    """
    try:
        same(v, unjelly_bytes(jelly_bytes(v, b"pb"), b"pb"), {}, {}, "value")
        return True
    except (AssertionError, Mismatch):
        return False


def _short(v):
    try:
        r = repr(v)
    except RecursionError:
        r = "<deep %s>" % type(v).__name__
    return r if len(r) <= 120 else r[:117] + "..."


# ---------------------------------------------------------------------------------- loop

def hexrepr(v):
    return repr(v).encode("utf-8").hex()


def main():
    values = {}
    print("READY", flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        cmd = parts[0]
        try:
            if cmd == "GEN":
                gen = Generator(random.Random(int(parts[1])))
                values.clear()
                out = []
                for i in range(int(parts[2])):
                    v = gen.next()
                    while not twisted_round_trips(v):
                        v = gen.next()  # Twisted cannot read back its own jelly of it
                    pb_hex = jelly_bytes(v, b"pb").hex()
                    none_hex = jelly_bytes(v, b"none").hex()
                    values[i] = (v, pb_hex, none_hex)
                    out.append("VAL %d %s %s %s" % (i, pb_hex, none_hex, hexrepr(v)))
                print("\n".join(out), flush=True)
            elif cmd == "CHECK":
                i = int(parts[1])
                original, pb_hex, none_hex = values[i]
                try:
                    if parts[2] != pb_hex:
                        raise Mismatch("pb dialect bytes differ from Twisted's:\n  twisted %s\n  java    %s"
                                       % (pb_hex, parts[2]))
                    if parts[3] != none_hex:
                        raise Mismatch("none dialect bytes differ from Twisted's:\n  twisted %s\n  java    %s"
                                       % (none_hex, parts[3]))
                    for dialect, h in ((b"pb", parts[2]), (b"none", parts[3])):
                        same(original, unjelly_bytes(bytes.fromhex(h), dialect), {}, {}, "value")
                    print("OK %d" % i, flush=True)
                except Mismatch as m:
                    print("FAIL %d %s" % (i, str(m).encode("unicode_escape").decode("ascii")), flush=True)
            elif cmd == "ECHO":
                v = unjelly_bytes(bytes.fromhex(parts[1]), b"pb")
                print("ECHO %s %s" % (jelly_bytes(v, b"pb").hex(), hexrepr(v)), flush=True)
            else:
                print("ERROR ValueError: unknown command %r" % cmd, flush=True)
        except Exception as e:  # report, keep serving
            message = ("%s: %s" % (type(e).__name__, e)).encode("unicode_escape").decode("ascii")
            print("ERROR %s" % message.replace("\n", " "), flush=True)


if __name__ == "__main__":
    main()
