"""Twisted PB server for pb4j's `pb call` tests: a pb.Root with keyword arguments.

remote_describe(a, b=None, c=()) returns "a=%r b=%r c=%r" % (a, b, c).

Usage: call_server.py --port 0
Prints "READY <port>" once listening on 127.0.0.1 and exits when stdin closes.
"""

import argparse
import sys
import threading

from twisted.internet import reactor
from twisted.python import log
from twisted.spread import pb


class Root(pb.Root):
    def remote_describe(self, a, b=None, c=()):
        return "a=%r b=%r c=%r" % (a, b, c)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    log.startLogging(sys.stderr, setStdout=False)
    port = reactor.listenTCP(args.port, pb.PBServerFactory(Root()), interface="127.0.0.1")
    print("READY %d" % port.getHost().port, flush=True)
    threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
    reactor.run()


def stop_when_stdin_closes():
    sys.stdin.read()
    reactor.callFromThread(reactor.stop)


if __name__ == "__main__":
    main()
