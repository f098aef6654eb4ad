"""Twisted PB client for pb4j's interop tests: echoes values through a server's root object.

Usage: echo_client.py --port PORT
Connects to 127.0.0.1:PORT, calls root.echo(value) for each test value and checks that the
answer equals the value and has its type; also sends a pb.Referenceable and checks that the same
object comes back. Prints "OK <repr>" or "MISMATCH ..." per value, then "DONE <failures>", and
exits with status 0 only if every value came back intact.
"""

import argparse
import sys

from twisted.internet import defer, reactor
from twisted.python import log
from twisted.spread import pb

VALUES = [
    42,
    -7,
    2 ** 70,
    1.5,
    "h\u00e9llo",
    b"raw\x00bytes\xff",
    None,
    True,
    False,
    [1, "two", [3.0]],
    (1, "x"),
    {"a": 1, "b": [2, 3]},
]


class Token(pb.Referenceable):
    def remote_ping(self):
        return "pong"


@defer.inlineCallbacks
def run(port):
    factory = pb.PBClientFactory()
    reactor.connectTCP("127.0.0.1", port, factory)
    root = yield factory.getRootObject()
    failures = 0
    for value in VALUES:
        answer = yield root.callRemote("echo", value)
        if answer == value and type(answer) is type(value):
            print("OK %r" % (value,), flush=True)
        else:
            failures += 1
            print("MISMATCH sent=%r got=%r" % (value, answer), flush=True)
    token = Token()
    answer = yield root.callRemote("echo", token)
    if answer is token:
        print("OK Referenceable came back as itself", flush=True)
    else:
        failures += 1
        print("MISMATCH sent=%r got=%r" % (token, answer), flush=True)
    print("DONE %d" % failures, flush=True)
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    log.startLogging(sys.stderr, setStdout=False)
    outcome = {"status": 2}

    def finished(failures):
        outcome["status"] = 0 if failures == 0 else 1

    def crashed(failure):
        print("ERROR %s" % failure.getErrorMessage(), flush=True)
        failure.printTraceback(file=sys.stderr)

    d = run(args.port)
    d.addCallbacks(finished, crashed)
    d.addBoth(lambda _: reactor.stop())
    reactor.callLater(20, lambda: reactor.running and reactor.stop())
    reactor.run()
    sys.exit(outcome["status"])


if __name__ == "__main__":
    main()
