"""Shared pieces of the Broker conformance suite's Python peers (broker_server.py, broker_client.py).

`canon(value)` is the canonical text of a value: Python's repr, except that set elements are
sorted (so the text does not depend on hashing) and remote references print as <ref>.  The Java
twin is io.github.pb4j.interop.broker.Canonical; both sides must render a value identically.

`VALUES` are the values of the echo scenarios, by name; the Java twin is BrokerValues.
"""

import datetime
import decimal

from twisted.spread import pb


def canon(v):
    if isinstance(v, pb.RemoteReference):
        return "<ref>"
    if isinstance(v, (set, frozenset)):
        inner = ", ".join(sorted(canon(x) for x in v))
        if isinstance(v, frozenset):
            return "frozenset({%s})" % inner if v else "frozenset()"
        return "{%s}" % inner if v else "set()"
    if isinstance(v, list):
        return "[" + ", ".join(canon(x) for x in v) + "]"
    if isinstance(v, tuple):
        return "(" + ", ".join(canon(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    if isinstance(v, dict):
        return "{" + ", ".join(canon(k) + ": " + canon(x) for k, x in v.items()) + "}"
    return repr(v)


def call_text(args, kw):
    """How a call's arguments arrived: positional tuple, then keywords sorted by name."""
    return canon(tuple(args)) + " " + canon(dict(sorted(kw.items())))


VALUES = {
    "none": None,
    "true": True,
    "false": False,
    "int_zero": 0,
    "int_small": 7,
    "int_negative": -1,
    "int_2_31": 2 ** 31,
    "int_minus_2_31_minus_1": -2 ** 31 - 1,
    "int_2_63": 2 ** 63,
    "int_2_100": 2 ** 100,
    "int_minus_2_100": -2 ** 100,
    "float": 0.1,
    "float_minus_zero": -0.0,
    "float_inf": float("inf"),
    "float_minus_inf": float("-inf"),
    "float_nan": float("nan"),
    "float_big": 1e100,
    "float_tiny": 5e-324,
    "bytes": b"\x00\xffhello",
    "bytes_empty": b"",
    "bytes_remote": b"remote",
    "bytes_vocabulary": [b"local", b"None", b"dictionary", b"message", b"tuple", b"version"],
    "str": "h\xe9llo",
    "str_empty": "",
    "str_non_bmp": "a\U0001f600b\U00010348",
    "str_remote": "remote",
    "str_quotes": "it's \"quoted\"\n",
    "list": [1, "two", b"three", None, 4.5],
    "list_empty": [],
    "list_nested": [[1, [2, [3]]], []],
    "tuple": (1, "a"),
    "tuple_single": (1,),
    "tuple_empty": (),
    "dict": {"a": 1, "b": [2, 3]},
    "dict_empty": {},
    "dict_tuple_keys": {(1, 2): "x", ("a",): "y", (): "z"},
    "dict_mixed_keys": {1: "one", b"two": 2, 3.5: None, None: True},
    "set": {1, 2, 3},
    "set_empty": set(),
    "frozenset": frozenset({"a", "b"}),
    "frozenset_empty": frozenset(),
    "bool_and_int": [True, 1, False, 0],
    "datetime": datetime.datetime(2020, 7, 11, 12, 30, 15, 123456),
    "datetime_midnight": datetime.datetime(1999, 12, 31, 0, 0),
    "date": datetime.date(2020, 7, 11),
    "time": datetime.time(23, 59, 58, 999),
    "timedelta": datetime.timedelta(days=1, seconds=3600, microseconds=5),
    "timedelta_negative": datetime.timedelta(seconds=-1),
    "decimal": decimal.Decimal("3.14159"),
    "decimal_exponent": decimal.Decimal("-1.5E-10"),
    "decimal_big": decimal.Decimal("12345678901234567890.000001"),
    "nested": {"k": [(1, 2.5), {b"x": {3}}, frozenset({(1, 2)})]},
}
