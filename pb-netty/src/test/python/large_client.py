"""Twisted PB client for pb4j's limit tests: sends one call as large as Twisted allows per string.

Usage: large_client.py --port PORT
Connects to 127.0.0.1:PORT and calls root.echo() with a list of 14 byte strings of 600 KiB (each
within Twisted's 640 KiB SIZE_LIMIT, 8.6 MB in all), checks that the same list comes back, prints
"OK" or "MISMATCH", and exits with status 0 only on OK.
"""

import argparse
import sys

from twisted.internet import defer, reactor
from twisted.python import log
from twisted.spread import pb

VALUE = [bytes([65 + i]) * (600 * 1024) for i in range(14)]


@defer.inlineCallbacks
def run(port):
    factory = pb.PBClientFactory()
    reactor.connectTCP("127.0.0.1", port, factory)
    root = yield factory.getRootObject()
    answer = yield root.callRemote("echo", VALUE)
    if answer == VALUE:
        print("OK", flush=True)
        return 0
    print("MISMATCH got %d items" % len(answer), flush=True)
    return 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    log.startLogging(sys.stderr, setStdout=False)
    outcome = {"status": 2}

    def finished(failures):
        outcome["status"] = failures

    def crashed(failure):
        print("ERROR %s" % failure.getErrorMessage(), flush=True)

    d = run(args.port)
    d.addCallbacks(finished, crashed)
    d.addBoth(lambda _: reactor.stop())
    reactor.callLater(25, lambda: reactor.running and reactor.stop())
    reactor.run()
    sys.exit(outcome["status"])


if __name__ == "__main__":
    main()
