#!/usr/bin/python3
"""Twisted PB server of pb4j's connection tests (ConnectionsJavaClientTwistedServerIT).

A pb.Root with remote_echo(x); remote_never(), whose Deferred never fires; remote_later(), whose
Deferred fires on the stdin command FIRE with a list of two references to one new Referenceable
(printing `EXPORTED <n>`, the objects the broker then exports); remote_exported(), the number of
objects the caller's broker exports (the root included). STOP_READING makes every connection stop
reading (a peer that hangs). Prints READY <port>; exits when stdin closes. Run with
/usr/bin/python3 (Twisted 22.4): connections_server.py --port 0
"""

import argparse

from twisted.internet import defer, reactor
from twisted.spread import pb

from connections_common import ProbeCountingBroker, read_commands, say, start_logging

brokers = []
never = []
later = []


class Child(pb.Referenceable):
    def remote_ping(self):
        return "pong"


class Root(pb.Root):
    def rootObject(self, broker):
        brokers.append(broker)
        return self

    def remote_echo(self, value):
        return value

    def remote_never(self):
        d = defer.Deferred()
        never.append(d)  # kept, never fired
        return d

    def remote_later(self):
        d = defer.Deferred()
        later.append(d)
        return d

    def remote_exported(self):
        return len(brokers[-1].localObjects)


def handle(parts):
    if parts[0] == "FIRE":
        child = Child()
        for d in later:
            d.callback([child, child])
        del later[:]
        say("EXPORTED %d" % len(brokers[-1].localObjects))
    elif parts[0] == "STOP_READING":
        for b in brokers:
            b.transport.pauseProducing()
        say("PAUSED")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    args = p.parse_args()
    start_logging()
    factory = pb.PBServerFactory(Root())
    factory.protocol = ProbeCountingBroker
    port = reactor.listenTCP(args.port, factory, interface="127.0.0.1")
    read_commands(handle, lambda: reactor.stop() if reactor.running else None)
    say("READY %d" % port.getHost().port)
    reactor.run()


if __name__ == "__main__":
    main()
