"""Twisted twin of the Java server of the cred conformance suite (AbstractCredConformanceIT).

Serves a cred Portal over PB, as Twisted's NewCredTests do, with the users alice/secret,
bob/hunter2, carol/fido, dave (a password made to be searched for in logs) and sleepy/zzz (whose
avatar never comes: the realm's Deferred never fires, so a login as sleepy stays pending).

Extra arguments name the checkers to register, in order: `password` (an
InMemoryUsernamePasswordDatabaseDontUse) and/or `anonymous` (AllowAnonymousAccess).

Events: `login <name>` when the realm hands out an avatar, `logout <name>` when it is logged
out, `error <type>` for every error Twisted logs. Avatar ids are bytes; names are their text.

Run: /usr/bin/python3 cred_server.py --port 0 password anonymous
"""

import argparse

from zope.interface import implementer

from twisted.cred import checkers, portal
from twisted.internet import defer
from twisted.python import log
from twisted.spread import pb

from interop_common import event, serve

USERS = {
    b"alice": b"secret",
    b"bob": b"hunter2",
    b"carol": b"fido",
    b"sleepy": b"zzz",
    # A password no log should ever show (CredSecretsNotLoggedIT looks for it).
    b"dave": b"Tr0ub4dor&3-pb4j",
}


def describe_mind(mind):
    if mind is None:
        return "none"
    if isinstance(mind, pb.RemoteReference):
        return "reference"
    if isinstance(mind, str):
        return mind
    return type(mind).__name__


class Board(pb.Viewable):
    """One object shared by every user; each sees it through their own perspective."""

    def view_check(self, user):
        return user.name


BOARD = Board()


class User(pb.Avatar):
    def __init__(self, name, mind):
        self.name = name
        self.mind = mind

    def perspective_getAvatarId(self):
        return self.name

    def perspective_add(self, a, b):
        return a + b

    def perspective_echo(self, value):
        return value

    def perspective_getMind(self):
        return describe_mind(self.mind)

    def perspective_poke(self, text):
        return self.mind.callRemote("notify", "%s: %s" % (self.name, text))

    def perspective_getViewPoint(self):
        return BOARD

    def perspective_hang(self):
        return defer.Deferred()


@implementer(portal.IRealm)
class Realm:
    def requestAvatar(self, avatarId, mind, *interfaces):
        assert pb.IPerspective in interfaces
        name = "anonymous" if avatarId is checkers.ANONYMOUS else avatarId.decode()
        if name == "sleepy":
            return defer.Deferred()
        event("login " + name)
        return pb.IPerspective, User(name, mind), lambda: event("logout " + name)


def log_errors(ev):
    if ev.get("isError"):
        f = ev.get("failure")
        event("error " + (f.type.__name__ if f is not None else "message"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port")  # read again by serve()
    parser.add_argument("--host")
    parser.add_argument("checkers", nargs="*")
    names = parser.parse_args().checkers
    p = portal.Portal(Realm())
    for name in names:
        if name == "password":
            p.registerChecker(checkers.InMemoryUsernamePasswordDatabaseDontUse(**{
                k.decode(): v for k, v in USERS.items()}))
        elif name == "anonymous":
            p.registerChecker(checkers.AllowAnonymousAccess())
        else:
            raise SystemExit("unknown checker " + name)
    log.addObserver(log_errors)
    serve(pb.PBServerFactory(p))


if __name__ == "__main__":
    main()
