"""A Twisted chat client for tests of pb4j's chat cluster, in the style of the seed's chatclient.py.

Logs in with a mind whose remote_print prints each message on its own line, joins a group and
prints "JOINED <group>"; then sends every line read from stdin to the group (printing "SENT <n>"
when the server answered the n-th) and stops when stdin closes. Prints "LOST" if the server goes
away, and "error: ..." on stderr (exit 1) on a failure.

Usage: cluster_chat_client.py --port PORT --user NAME --password PW --group GROUP
"""

import argparse
import sys
import threading

from twisted.cred import credentials
from twisted.internet import reactor
from twisted.spread import pb


class Client(pb.Referenceable):
    status = 0
    group = None
    sent = 0

    def remote_print(self, message):
        print(message, flush=True)

    def connect(self, args):
        factory = pb.PBClientFactory()
        reactor.connectTCP(args.host, args.port, factory)
        d = factory.login(
            credentials.UsernamePassword(args.user.encode(), args.password.encode()), client=self)
        d.addCallback(self.connected, args.group)
        d.addErrback(self.failed)
        reactor.run()

    def connected(self, perspective, group):
        self.perspective = perspective  # Keep the avatar: dropping it logs out.
        perspective.notifyOnDisconnect(self.lost)
        d = perspective.callRemote("joinGroup", group)
        d.addCallback(self.joined, group)
        d.addErrback(self.failed)

    def joined(self, group, name):
        self.group = group
        print("JOINED " + name, flush=True)
        threading.Thread(target=self.read_stdin, daemon=True).start()

    def read_stdin(self):
        for line in sys.stdin:
            reactor.callFromThread(self.send, line.rstrip("\n"))
        reactor.callFromThread(reactor.stop)

    def send(self, line):
        d = self.group.callRemote("send", line)
        d.addCallback(self.answered)
        d.addErrback(self.failed)

    def answered(self, _):
        self.sent += 1
        print("SENT %d" % self.sent, flush=True)

    def lost(self, _):
        print("LOST", flush=True)

    def failed(self, reason):
        print("error:", reason.getErrorMessage(), file=sys.stderr, flush=True)
        self.status = 1
        if reactor.running:
            reactor.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--group", required=True)
    client = Client()
    client.connect(parser.parse_args())
    sys.exit(client.status)


if __name__ == "__main__":
    main()
