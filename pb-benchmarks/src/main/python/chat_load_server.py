"""The Twisted chat server ChatLoad measures pb4j's against: the seed's chatserver.py.

Users load-0 .. load-(N-1), password "pw". Prints "READY <port>"; answers each "STATS" line on
stdin with "STATS <rss KiB> 0" (Python has no live-heap figure comparable to the JVM's) and each
"CPU" line with "CPU <nanoseconds>", the CPU time the process has used; exits when stdin closes. Kept as simple as the seed on purpose: it is the baseline.

Usage: chat_load_server.py USERS [PORT]
"""

import gc
import os
import sys
import threading

from zope.interface import implementer

from twisted.cred import checkers, portal
from twisted.internet import reactor
from twisted.spread import pb


class ChatServer:
    def __init__(self):
        self.groups = {}

    def joinGroup(self, groupname, user, allowMattress):
        if groupname not in self.groups:
            self.groups[groupname] = Group(groupname, allowMattress)
        self.groups[groupname].addUser(user)
        return self.groups[groupname]


@implementer(portal.IRealm)
class ChatRealm:
    def __init__(self, server):
        self.server = server

    def requestAvatar(self, avatarID, mind, *interfaces):
        assert pb.IPerspective in interfaces
        avatar = User(avatarID.decode(), self.server, mind)
        return pb.IPerspective, avatar, lambda: avatar.detached()


class User(pb.Avatar):
    def __init__(self, name, server, mind):
        self.name = name
        self.server = server
        self.remote = mind

    def detached(self):
        self.remote = None

    def perspective_joinGroup(self, groupname, allowMattress=True):
        return self.server.joinGroup(groupname, self, allowMattress)

    def send(self, message):
        if self.remote is not None:
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


def rss_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def stats():
    gc.collect()
    print("STATS %d 0" % rss_kib(), flush=True)


def cpu():
    times = os.times()
    print("CPU %d" % int((times.user + times.system) * 1e9), flush=True)


def read_commands():
    for line in sys.stdin:
        if line.strip() == "STATS":
            reactor.callFromThread(stats)
        elif line.strip() == "CPU":
            reactor.callFromThread(cpu)
    reactor.callFromThread(reactor.stop)


def main():
    users = int(sys.argv[1])
    port_number = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    checker = checkers.InMemoryUsernamePasswordDatabaseDontUse()
    for i in range(users):
        checker.addUser(("load-%d" % i).encode(), b"pw")
    p = portal.Portal(ChatRealm(ChatServer()), [checker])
    port = reactor.listenTCP(port_number, pb.PBServerFactory(p), interface="127.0.0.1")
    print("READY %d" % port.getHost().port, flush=True)
    threading.Thread(target=read_commands, daemon=True).start()
    reactor.run()


if __name__ == "__main__":
    main()
