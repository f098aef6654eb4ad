"""The Twisted server of LoadTool's t-* scenarios: a PB root whose echo returns its argument.

Twin of the Java EchoRoot (and of Twisted's own pbecho example). Listens on 127.0.0.1, port 0
unless given; prints "READY <port>"; exits when its stdin closes.

Usage: twisted_echo_server.py [PORT]
"""

import sys

from twisted.internet import reactor, stdio
from twisted.internet.protocol import Protocol
from twisted.spread import pb


class EchoRoot(pb.Root):
    def remote_echo(self, value):
        return value


class UntilStdinCloses(Protocol):
    def connectionLost(self, reason):
        if reactor.running:
            reactor.stop()


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    listening = reactor.listenTCP(port, pb.PBServerFactory(EchoRoot()), interface="127.0.0.1")
    # Written before StandardIO makes stdout non-blocking.
    sys.stdout.write("READY %d\n" % listening.getHost().port)
    sys.stdout.flush()
    stdio.StandardIO(UntilStdinCloses())
    reactor.run()


if __name__ == "__main__":
    main()
