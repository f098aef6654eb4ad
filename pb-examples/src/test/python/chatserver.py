"""Python twin of pb4j's chatserver: the seed's chatserver.py in Python 3.

Changes from the seed: passwords are bytes (Twisted 22.4 requires it); the avatar id (bytes) is
decoded, so messages read "<alice> says: ..." as with the Java server; --host/--port; a
"READY <port>" line once listening; exits when stdin closes. Twisted's log goes to stderr.
Otherwise as fragile as the seed (see ChatService in pb4j for the hardened server).

Usage: chatserver.py [--host 127.0.0.1] [--port 8800]
"""

from zope.interface import implementer

from twisted.cred import checkers, portal
from twisted.spread import pb

import twin


class ChatServer:
    def __init__(self):
        self.groups = {}  # indexed by name

    def joinGroup(self, groupname, user, allowMattress):
        if groupname not in self.groups:
            self.groups[groupname] = Group(groupname, allowMattress)
        self.groups[groupname].addUser(user)
        return self.groups[groupname]


@implementer(portal.IRealm)
class ChatRealm:
    def requestAvatar(self, avatarID, mind, *interfaces):
        assert pb.IPerspective in interfaces
        avatar = User(avatarID.decode())
        avatar.server = self.server
        avatar.attached(mind)
        return pb.IPerspective, avatar, lambda a=avatar: a.detached(mind)


class User(pb.Avatar):
    def __init__(self, name):
        self.name = name

    def attached(self, mind):
        self.remote = mind

    def detached(self, mind):
        self.remote = None

    def perspective_joinGroup(self, groupname, allowMattress=True):
        return self.server.joinGroup(groupname, self, allowMattress)

    def send(self, message):
        self.remote.callRemote("print", message)


class Group(pb.Viewable):
    def __init__(self, groupname, allowMattress):
        self.name = groupname
        self.allowMattress = allowMattress
        self.users = []

    def addUser(self, user):
        self.users.append(user)

    def view_send(self, from_user, message):
        if not self.allowMattress and "mattress" in message:
            raise ValueError("Don't say that word")
        for user in self.users:
            user.send("<{}> says: {}".format(from_user.name, message))


def main():
    args = twin.arguments()
    realm = ChatRealm()
    realm.server = ChatServer()
    checker = checkers.InMemoryUsernamePasswordDatabaseDontUse()
    checker.addUser(b"alice", b"1234")
    checker.addUser(b"bob", b"secret")
    checker.addUser(b"carol", b"fido")
    p = portal.Portal(realm, [checker])
    twin.serve(pb.PBServerFactory(p), args)


if __name__ == "__main__":
    main()
