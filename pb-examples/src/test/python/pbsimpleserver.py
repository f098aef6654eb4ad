"""Python twin of pb4j's pbsimpleserver: Twisted's pbsimpleserver.py (Python 3).

A pb.Root whose remote_echo prints and returns its argument unchanged.

Usage: pbsimpleserver.py [--host 127.0.0.1] [--port 8800]
Prints "READY <port>" once listening (port 0 picks a free one) and exits when stdin closes.
Twisted's log goes to stderr.
"""

from twisted.spread import pb

import twin


class Echoer(pb.Root):
    def remote_echo(self, st):
        print("echoing:", st)
        return st


def main():
    args = twin.arguments()
    twin.serve(pb.PBServerFactory(Echoer()), args)


if __name__ == "__main__":
    main()
