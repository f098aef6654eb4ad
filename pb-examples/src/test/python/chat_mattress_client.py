"""Scripted Twisted client of a chat server, for pb4j's chat service tests.

Logs in as bob/secret with a mind that prints "got <message>", joins #k with the keyword argument
allowMattress=False, says "mattress" (which must be refused) and "fine", prints the members and
exits (0; 1 on an unexpected failure).

Usage: chat_mattress_client.py --port PORT
"""

import argparse
import sys

from twisted.cred import credentials
from twisted.internet import defer, reactor
from twisted.spread import pb

status = [0]


class Mind(pb.Referenceable):
    def remote_print(self, message):
        print("got", message, flush=True)


@defer.inlineCallbacks
def run(port):
    try:
        factory = pb.PBClientFactory()
        reactor.connectTCP("127.0.0.1", port, factory)
        perspective = yield factory.login(credentials.UsernamePassword(b"bob", b"secret"), client=Mind())
        group = yield perspective.callRemote("joinGroup", "#k", allowMattress=False)
        try:
            yield group.callRemote("send", "my mattress")
            print("not refused")
        except pb.RemoteError as e:
            remote_type = e.remoteType.decode() if isinstance(e.remoteType, bytes) else e.remoteType
            print("refused:", remote_type, e)
        yield group.callRemote("send", "fine")
        print("members", (yield group.callRemote("members")))
    except Exception as e:
        print("error:", e, file=sys.stderr)
        status[0] = 1
    reactor.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    reactor.callWhenRunning(run, args.port)
    reactor.run()
    sys.exit(status[0])


if __name__ == "__main__":
    main()
