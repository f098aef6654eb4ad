"""Python twin of pb4j's pbsimpleserver: Twisted's pbsimpleserver.py (Python 3).

A pb.Root whose remote_echo prints and returns its argument unchanged.

Usage: pbsimpleserver.py [--host 127.0.0.1] [--port 8800]
Prints "READY <port>" once listening (port 0 picks a free one) and exits when stdin closes.
Twisted's log goes to stderr.
"""

import argparse
import sys
import threading

from twisted.internet import reactor
from twisted.python import log
from twisted.spread import pb


class Echoer(pb.Root):
    def remote_echo(self, st):
        print("echoing:", st)
        return st


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8800)
    args = parser.parse_args()
    log.startLogging(sys.stderr, setStdout=False)
    port = reactor.listenTCP(args.port, pb.PBServerFactory(Echoer()), interface=args.host)
    print("READY %d" % port.getHost().port, flush=True)
    threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
    reactor.run()


def stop_when_stdin_closes():
    sys.stdin.read()
    reactor.callFromThread(reactor.stop)


if __name__ == "__main__":
    main()
