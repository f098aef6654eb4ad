"""Python twin of pb4j's pb6client1: the seed's pb6client1.py in Python 3.

Changes from the seed: username and password are bytes (Twisted 22.4 requires it); --host/--port;
exits once the call is answered (0), or on a failure (1).

Usage: pb6client1.py [--host 127.0.0.1] [--port 8800]
"""

import sys

from twisted.cred import credentials
from twisted.internet import reactor
from twisted.spread import pb

import twin

status = [0]


def main():
    args = twin.arguments()
    factory = pb.PBClientFactory()
    reactor.connectTCP(args.host, args.port, factory)
    def1 = factory.login(credentials.UsernamePassword(b"user1", b"pass1"))
    def1.addCallback(connected)
    def1.addErrback(failed)
    def1.addBoth(lambda _: reactor.stop())
    reactor.run()
    sys.exit(status[0])


def connected(perspective):
    print("got perspective1 ref:", perspective)
    print("asking it to foo(13)")
    return perspective.callRemote("foo", 13)


def failed(reason):
    print("error:", reason.getErrorMessage(), file=sys.stderr)
    status[0] = 1


if __name__ == "__main__":
    main()
