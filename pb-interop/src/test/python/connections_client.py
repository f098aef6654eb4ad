#!/usr/bin/python3
"""Twisted PB client of pb4j's connection tests (ConnectionsTwistedClientJavaServerIT).

Commands on stdin: CONNECT <port> (prints CONNECTED), ECHO <int> (prints ECHO <result> or
FAILED <text>), STOP_READING (the connection stops reading: a client that hangs; prints PAUSED).
Prints DISCONNECTED when the connection ends, READY at start; exits when stdin closes. Run with
/usr/bin/python3 (Twisted 22.4): connections_client.py
"""

from twisted.internet import reactor
from twisted.spread import pb

from connections_common import ProbeCountingBroker, read_commands, say, start_logging

state = {}


def handle(parts):
    command = parts[0]
    if command == "CONNECT":
        factory = pb.PBClientFactory()
        factory.protocol = ProbeCountingBroker
        reactor.connectTCP("127.0.0.1", int(parts[1]), factory)
        d = factory.getRootObject()

        def connected(root):
            state["root"] = root
            root.broker.notifyOnDisconnect(lambda: say("DISCONNECTED"))
            say("CONNECTED")

        d.addCallbacks(connected, lambda f: say("FAILED " + f.getErrorMessage()))
    elif command == "ECHO":
        d = state["root"].callRemote("echo", int(parts[1]))
        d.addCallbacks(lambda r: say("ECHO %r" % (r,)), lambda f: say("FAILED " + f.getErrorMessage()))
    elif command == "STOP_READING":
        state["root"].broker.transport.pauseProducing()
        say("PAUSED")


def main():
    start_logging()
    read_commands(handle, lambda: reactor.stop() if reactor.running else None)
    say("READY")
    reactor.run()


if __name__ == "__main__":
    main()
