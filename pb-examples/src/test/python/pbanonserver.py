"""Python twin of pb4j's pbanonserver: the seed's pbAnonServer.py in Python 3.

A PB service which allows both anonymous and username/password based access. Changes from the
seed: passwords are bytes (Twisted 22.4 requires it); the avatar id (bytes) is decoded for
printing; Twisted's log goes to stderr instead of stdout (so stdout holds only what the program
prints); --host/--port; a "READY <port>" line once listening; exits when stdin closes.

Usage: pbanonserver.py [--host 127.0.0.1] [--port 8800]
"""

from zope.interface import implementer

from twisted.cred.checkers import ANONYMOUS, AllowAnonymousAccess
from twisted.cred.checkers import InMemoryUsernamePasswordDatabaseDontUse
from twisted.cred.portal import IRealm, Portal
from twisted.spread.pb import Avatar, IPerspective, PBServerFactory

import twin


class MyPerspective(Avatar):
    def __init__(self, name):
        self.name = name

    def perspective_foo(self, arg):
        print("I am {}.  perspective_foo({}) called on {}.".format(self.name, arg, self))


@implementer(IRealm)
class MyRealm:
    def requestAvatar(self, avatarId, mind, *interfaces):
        if IPerspective not in interfaces:
            raise NotImplementedError("MyRealm only handles IPerspective")
        if avatarId is ANONYMOUS:
            avatarId = "Anonymous"
        else:
            avatarId = avatarId.decode()
        return IPerspective, MyPerspective(avatarId), lambda: None


def main():
    args = twin.arguments()
    p = Portal(MyRealm())
    p.registerChecker(InMemoryUsernamePasswordDatabaseDontUse(user1=b"pass1", user2=b"pass2"))
    p.registerChecker(AllowAnonymousAccess())
    twin.serve(PBServerFactory(p), args)


if __name__ == "__main__":
    main()
