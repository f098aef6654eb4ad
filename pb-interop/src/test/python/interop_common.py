"""Shared plumbing of pb4j's Python interop peers (run with /usr/bin/python3, Twisted 22.4).

Servers: `serve(factory_builder)` listens on 127.0.0.1 --port (0 = any), prints `READY <port>`,
prints server-side events as `EVENT <text>` lines, and exits when stdin closes.

Clients: `run_client(scenarios)` reads `RUN <name> <port>` lines on stdin, runs the named scenario
(a function `(port) -> Deferred[str]`) and prints `RESULT <name> <result>` (or
`RESULT <name> EXCEPTION <type>: <text>` if it fails); exits when stdin closes.
"""

import argparse
import sys
import traceback

from twisted.internet import defer, reactor, stdio
from twisted.protocols.basic import LineReceiver


def event(text):
    sys.stdout.write("EVENT " + text + "\n")
    sys.stdout.flush()


def failure_text(f):
    """Canonical text of a failure: remote type and value, as the Java side renders them."""
    t = getattr(f, "type", None)
    if isinstance(t, bytes):
        t = t.decode()
    elif isinstance(t, type):
        t = t.__module__ + "." + t.__qualname__
    v = getattr(f, "value", "")
    if isinstance(v, BaseException):
        v = str(v)
    return "%s: %s" % (t, v)


class _StdinWatcher(LineReceiver):
    delimiter = b"\n"

    def __init__(self, on_line):
        self.on_line = on_line

    def lineReceived(self, line):
        self.on_line(line.decode().strip())

    def connectionLost(self, reason):
        if reactor.running:
            reactor.stop()


def _args():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("extra", nargs="*")
    return p.parse_args()


def serve(factory):
    """Listens with `factory`, prints READY <port>, stops when stdin closes."""
    args = _args()
    port = reactor.listenTCP(args.port, factory, interface=args.host)
    stdio.StandardIO(_StdinWatcher(lambda line: None))
    print("READY %d" % port.getHost().port, flush=True)
    reactor.run()


def run_client(scenarios):
    """Runs scenarios on request; see the module docstring."""
    def on_line(line):
        parts = line.split()
        if len(parts) != 3 or parts[0] != "RUN":
            return
        name, port = parts[1], int(parts[2])
        try:
            d = defer.maybeDeferred(scenarios[name], port)
        except KeyError:
            d = defer.succeed("UNKNOWN SCENARIO")

        def ok(result):
            print("RESULT %s %s" % (name, result), flush=True)

        def bad(f):
            print("RESULT %s EXCEPTION %s" % (name, failure_text(f)), flush=True)
            sys.stderr.write(f.getTraceback())

        d.addCallbacks(ok, bad)

    stdio.StandardIO(_StdinWatcher(on_line))
    print("READY", flush=True)
    reactor.run()
