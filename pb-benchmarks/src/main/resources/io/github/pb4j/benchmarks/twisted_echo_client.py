"""The Twisted client of LoadTool's t-* scenarios: calls echo on a Twisted PB server's root.

Twin of the Java PbEchoLoad: WINDOW calls outstanding, each answer issuing the next call from
the answer's callback. The argument is "hello" (every answer compared with it) or the anchor
payload, [{"name": "item-%d" % i, "id": i, "value": i * 1.5} for i in range(100)] (compared
once, before measuring).

Connects to 127.0.0.1:PORT, checks one echo, prints "READY". Then obeys lines on stdin:
  START  issue WINDOW calls; from then on each answer issues the next
  STOP   issue no more; print "DRAINED" once no call is outstanding
  COUNT  print "COUNT <calls completed so far>"
A failed or wrong answer prints "FAILED <reason>" and stops issuing. Exits when stdin closes.

Usage: twisted_echo_client.py PORT WINDOW hello|anchor
"""

import sys

from twisted.internet import reactor, stdio
from twisted.protocols.basic import LineReceiver
from twisted.spread import pb


# Once stdio is set up, lines go through its transport: StandardIO makes stdout non-blocking.
_stdio = []


def say(line):
    if _stdio:
        _stdio[0].write((line + "\n").encode("utf-8"))
    else:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def anchor():
    return [{"name": "item-%d" % i, "id": i, "value": i * 1.5} for i in range(100)]


class EchoLoad:
    def __init__(self, root, window, argument, check_each):
        self.root = root
        self.window = window
        self.argument = argument
        self.check_each = check_each
        self.running = False
        self.draining = False
        self.failed = False
        self.outstanding = 0
        self.completed = 0

    def start(self):
        self.running = not self.failed
        self.draining = False
        for _ in range(self.window if self.running else 0):
            self.call()

    def stop(self):
        self.running = False
        self.draining = True
        self.after_answer()

    def call(self):
        self.outstanding += 1
        self.root.callRemote("echo", self.argument).addCallbacks(self.answered, self.errored)

    def answered(self, value):
        self.outstanding -= 1
        if self.check_each and value != self.argument:
            self.fail("echo returned something else: %r" % (value,))
        else:
            self.completed += 1
        self.after_answer()

    def errored(self, failure):
        self.outstanding -= 1
        self.fail(failure.getErrorMessage())
        self.after_answer()

    def fail(self, reason):
        if not self.failed:
            self.failed = True
            self.running = False
            say("FAILED " + reason.replace("\n", " "))

    def after_answer(self):
        if self.running:
            self.call()
        elif self.draining and self.outstanding == 0:
            self.draining = False
            say("DRAINED")


class Commands(LineReceiver):
    delimiter = b"\n"

    def __init__(self, load):
        self.load = load

    def connectionMade(self):
        _stdio.append(self.transport)

    def lineReceived(self, line):
        command = line.strip()
        if command == b"START":
            self.load.start()
        elif command == b"STOP":
            self.load.stop()
        elif command == b"COUNT":
            say("COUNT %d" % self.load.completed)

    def connectionLost(self, reason):
        if reactor.running:
            reactor.stop()


def main():
    port, window, payload = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    argument = "hello" if payload == "hello" else anchor()
    factory = pb.PBClientFactory()
    reactor.connectTCP("127.0.0.1", port, factory)

    def check(echoed, root):
        if echoed != argument:
            raise ValueError("echo returned something else: %r" % (echoed,))
        stdio.StandardIO(Commands(EchoLoad(root, window, argument, payload == "hello")))
        say("READY")

    def failed(failure):
        say("FAILED " + failure.getErrorMessage().replace("\n", " "))
        reactor.stop()

    connected = factory.getRootObject()
    connected.addCallback(
        lambda root: root.callRemote("echo", argument).addCallback(check, root))
    connected.addErrback(failed)
    reactor.run()


if __name__ == "__main__":
    main()
