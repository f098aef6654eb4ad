"""The Twisted client of LoginLoad: logs in to a PB chat server the way a Twisted program does.

Twin of the Java client's concurrent and sequential phases (LoginLoadRun), against either
server, with users load-0 .. load-(USERS-1), password "pw", and a mind whose print does nothing:

  sequential  connect, log in, disconnect; one at a time
  concurrent  IN_FLIGHT connections, each logging in again as soon as its last login answered

Runs WARMUP seconds unmeasured, then SECONDS measured, and prints
"RESULT <logins> <seconds> <failed logins>" (logins answered within the measured time). A failure
does not stop the run; each is counted. A login not answered within 10 s counts as failed and
its connection is replaced by a new one: a connection the server never accepted (a full listen
backlog) would otherwise wait for ever, as Twisted's client sets no deadline of its own.

Usage: twisted_login_client.py PORT USERS sequential|concurrent IN_FLIGHT WARMUP SECONDS
"""

import sys
import time

from twisted.cred.credentials import UsernamePassword
from twisted.internet import reactor
from twisted.spread import pb


LOGIN_TIMEOUT = 10


class Mind(pb.Referenceable):
    def remote_print(self, line):
        pass


class Clock:
    """The warm-up and measured windows, and what was counted in the latter."""

    def __init__(self, warmup, seconds):
        self.start = time.monotonic() + warmup
        self.end = self.start + seconds
        self.logins = 0
        self.failures = 0

    def running(self):
        return time.monotonic() < self.end

    def done(self):
        if self.start <= time.monotonic() < self.end:
            self.logins += 1

    def failed(self, failure):
        self.failures += 1


def credentials(n, users):
    return UsernamePassword(("load-%d" % (n % users)).encode(), b"pw")


class Sequential:
    def __init__(self, port, users, clock, finished):
        self.port, self.users, self.clock, self.finished = port, users, clock, finished
        self.n = 0

    def next(self):
        if not self.clock.running():
            self.finished()
            return
        factory = pb.PBClientFactory()
        connector = reactor.connectTCP("127.0.0.1", self.port, factory)
        self.n += 1
        d = factory.login(credentials(self.n, self.users), Mind())
        d.addTimeout(LOGIN_TIMEOUT, reactor)
        d.addCallbacks(lambda perspective: self.clock.done(), self.clock.failed)
        d.addBoth(lambda _: connector.disconnect())
        # The next connection once this one is gone, as the Java client closes before it goes on.
        d.addBoth(lambda _: reactor.callLater(0, self.next))


class Concurrent:
    def __init__(self, port, users, in_flight, clock, finished):
        self.port, self.users, self.clock = port, users, clock
        self.in_flight, self.finished = in_flight, finished
        self.n = 0
        self.active = 0
        self.factories = []

    def start(self):
        for _ in range(self.in_flight):
            self.active += 1
            self.login(self.connect())

    def connect(self):
        factory = pb.PBClientFactory()
        reactor.connectTCP("127.0.0.1", self.port, factory)
        self.factories.append(factory)
        return factory

    def login(self, factory):
        if not self.clock.running():
            self.active -= 1
            if self.active == 0:
                for f in self.factories:
                    f.disconnect()
                self.finished()
            return
        self.n += 1
        d = factory.login(credentials(self.n, self.users), Mind())
        d.addTimeout(LOGIN_TIMEOUT, reactor)
        d.addCallbacks(self.logged_in, lambda failure: self.failed(failure, factory))
        d.addCallback(lambda next_factory: self.login(next_factory or factory))

    def failed(self, failure, factory):
        # Gone, or never accepted: the next logins go over a new connection.
        self.clock.failed(failure)
        factory.disconnect()
        self.factories.remove(factory)
        return self.connect()

    def logged_in(self, perspective):
        self.clock.done()
        # Dropping the reference releases the avatar on the server, as the Java client does.
        del perspective
        return None


def main():
    port, users, mode = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    in_flight, warmup, seconds = int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6])
    clock = Clock(warmup, seconds)

    def finished():
        print("RESULT %d %.6f %d" % (clock.logins, seconds, clock.failures), flush=True)
        reactor.stop()

    if mode == "sequential":
        reactor.callWhenRunning(Sequential(port, users, clock, finished).next)
    elif mode == "concurrent":
        reactor.callWhenRunning(Concurrent(port, users, in_flight, clock, finished).start)
    else:
        sys.exit("mode: " + mode + " (expected: sequential or concurrent)")
    reactor.run()


if __name__ == "__main__":
    main()
