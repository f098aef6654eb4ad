"""Python twin of pb4j's pbsimpleclient: Twisted's pbsimpleclient.py (Python 3).

Calls echo("hello network") on the server's root object and prints the answer.

Usage: pbsimpleclient.py [--host 127.0.0.1] [--port 8800]
Exits 0 after the answer, 1 on an error.
"""

import sys

from twisted.internet import reactor
from twisted.spread import pb

import twin

status = [0]


def main():
    args = twin.arguments()
    factory = pb.PBClientFactory()
    twin.connect(factory, args)
    d = factory.getRootObject()
    d.addCallback(lambda object: object.callRemote("echo", "hello network"))
    d.addCallback(lambda echo: print("server echoed:", echo))
    d.addErrback(failed)
    d.addCallback(lambda _: reactor.stop())
    reactor.run()
    sys.exit(status[0])


def failed(reason):
    print("error:", reason.value, file=sys.stderr)
    status[0] = 1


if __name__ == "__main__":
    main()
