"""Python twin of pb4j's pb5server: the seed's pb5server.py in Python 3.

Changes from the seed: passwords are bytes (Twisted 22.4 requires it); the avatar id (bytes) is
decoded for printing, so this prints "I am user1 ..." as the Java twin does; --host/--port; a
"READY <port>" line once listening; exits when stdin closes. Twisted's log goes to stderr.

Usage: pb5server.py [--host 127.0.0.1] [--port 8800]
"""

from zope.interface import implementer

from twisted.cred import checkers, portal
from twisted.spread import pb

import twin


class MyPerspective(pb.Avatar):
    def __init__(self, name):
        self.name = name

    def perspective_foo(self, arg):
        print("I am", self.name, "perspective_foo(", arg, ") called on", self)


@implementer(portal.IRealm)
class MyRealm:
    def requestAvatar(self, avatarId, mind, *interfaces):
        if pb.IPerspective not in interfaces:
            raise NotImplementedError
        return pb.IPerspective, MyPerspective(avatarId.decode()), lambda: None


def main():
    args = twin.arguments()
    p = portal.Portal(MyRealm())
    c = checkers.InMemoryUsernamePasswordDatabaseDontUse(user1=b"pass1")
    p.registerChecker(c)
    twin.serve(pb.PBServerFactory(p), args)


if __name__ == "__main__":
    main()
