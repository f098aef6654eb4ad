"""Twisted PB echo server for pb4j's interop tests: a pb.Root whose remote_echo returns its argument.

Usage: echo_server.py --port 0
Listens on 127.0.0.1, prints "READY <port>" on stdout once listening, exits when stdin closes.
Twisted's log goes to stderr.
"""

import argparse
import sys
import threading

from twisted.internet import reactor
from twisted.python import log
from twisted.spread import pb


class EchoRoot(pb.Root):
    def remote_echo(self, value):
        return value


def stop_when_stdin_closes():
    sys.stdin.read()
    reactor.callFromThread(reactor.stop)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    log.startLogging(sys.stderr, setStdout=False)
    port = reactor.listenTCP(args.port, pb.PBServerFactory(EchoRoot()), interface="127.0.0.1")
    print("READY %d" % port.getHost().port, flush=True)
    threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
    reactor.run()


if __name__ == "__main__":
    main()
