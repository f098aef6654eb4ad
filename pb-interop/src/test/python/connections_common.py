"""Shared parts of the Twisted peers of pb4j's connection tests (deadlines, the dead-peer probe).

Every line Twisted logs is printed on stdout as `LOG <text>`, so that a test can show that the
probe leaves nothing in Twisted's log. A broker that receives the probe (a `message` to object id
-1) prints `PROBE` before Twisted handles it as usual. Commands come on stdin, one per line.
"""

import sys

from twisted.internet import stdio
from twisted.protocols.basic import LineReceiver
from twisted.python import log
from twisted.spread import pb

PROBE_OBJECT_ID = -1


def say(text):
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def start_logging():
    def observer(event):
        text = log.textFromEventDict(event)
        if text is not None:
            say("LOG " + text.replace("\n", " | "))
    log.startLoggingWithObserver(observer, setStdout=False)


class ProbeCountingBroker(pb.Broker):
    """Twisted's Broker, printing PROBE for each probe it receives; it answers as any Broker."""

    def proto_message(self, requestID, objectID, message, answerRequired, netArgs, netKw):
        if objectID == PROBE_OBJECT_ID:
            say("PROBE")
        return pb.Broker.proto_message(self, requestID, objectID, message, answerRequired, netArgs, netKw)


class Commands(LineReceiver):
    delimiter = b"\n"

    def __init__(self, handle, on_close):
        self.handle = handle
        self.on_close = on_close

    def lineReceived(self, line):
        parts = line.decode().strip().split()
        if parts:
            self.handle(parts)

    def connectionLost(self, reason):
        self.on_close()


def read_commands(handle, on_close):
    stdio.StandardIO(Commands(handle, on_close))
