"""Python twin of pb4j's chatclient: the seed's chatclient.py in Python 3.

Logs in as alice with a mind whose remote_print prints, joins #NeedAFourth and sends a message.
Changes from the seed: username and password are bytes (Twisted 22.4 requires it); --host/--port;
exits 1 on a failure; TLS options (see twin.py).

Usage: chatclient.py [--host 127.0.0.1] [--port 8800] [--tls] [--tls-ca PEM]
"""

import sys

from twisted.cred import credentials
from twisted.internet import reactor
from twisted.spread import pb

import twin


class Client(pb.Referenceable):
    status = 0

    def remote_print(self, message):
        print(message)

    def connect(self, args):
        factory = pb.PBClientFactory()
        twin.connect(factory, args)
        def1 = factory.login(credentials.UsernamePassword(b"alice", b"1234"), client=self)
        def1.addCallback(self.connected)
        def1.addErrback(self.failed)
        reactor.run()

    def connected(self, perspective):
        print("connected, joining group #NeedAFourth")
        # this perspective is a reference to our User object.  Save a reference
        # to it here, otherwise it will get garbage collected after this call,
        # and the server will think we logged out.
        self.perspective = perspective
        d = perspective.callRemote("joinGroup", "#NeedAFourth")
        d.addCallback(self.gotGroup)
        d.addErrback(self.failed)

    def gotGroup(self, group):
        print("joined group, now sending a message to all members")
        # 'group' is a reference to the Group object (through a ViewPoint)
        d = group.callRemote("send", "You can call me Al.")
        d.addCallback(self.shutdown)
        d.addErrback(self.failed)

    def shutdown(self, result):
        reactor.stop()

    def failed(self, reason):
        print("error:", reason.getErrorMessage(), file=sys.stderr)
        self.status = 1
        reactor.stop()


def main():
    args = twin.arguments()
    client = Client()
    client.connect(args)
    sys.exit(client.status)


if __name__ == "__main__":
    main()
