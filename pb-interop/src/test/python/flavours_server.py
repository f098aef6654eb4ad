"""Twisted server of the flavours conformance suite (twin of FlavoursRoot / FlavoursRealm in Java).

Usage: flavours_server.py --port 0 root    serves FlavoursRoot as the PB root
       flavours_server.py --port 0 login   serves a cred portal (FlavoursRealm)

Each connection gets its own root (pb.Root.rootObject), as the Java server's root factory does.
The objects are those of twisted/spread/test/test_pb.py; server-side events are printed as
`EVENT <text>` lines (see interop_common).
"""

import os
import sys
import tempfile

from twisted.cred import checkers, portal
from twisted.internet import defer
from twisted.spread import pb, util
from zope.interface import implementer

from flavours_common import (
    BIG_STRING,
    Complicated,
    FactoryCopy,
    Point,
    Secret,
    large_payload,
)
from interop_common import event, serve


class SimpleRemote(pb.Referenceable):
    def remote_thunk(self, arg):
        self.arg = arg
        return arg + 1

    def remote_knuth(self, arg):
        raise pb.Error("knuth")


class NestedRemote(pb.Referenceable):
    def remote_getSimple(self):
        return SimpleRemote()


class Observable(pb.Referenceable):
    def __init__(self):
        self.observers = []

    def remote_observe(self, obs):
        self.observers.append(obs)

    def remote_unobserve(self, obs):
        self.observers.remove(obs)
        event("unobserved")

    def remote_notify(self, obj):
        """Notifies every observer; answers how many there were, once they have all answered."""
        calls = [o.callRemote("notify", self, obj) for o in self.observers]
        return defer.gatherResults(calls).addCallback(lambda _: len(calls))


class FlavoursRoot(pb.Root):
    """One per connection: test_pb's named objects, reachable from the root."""

    def __init__(self, broker):
        self.broker = broker
        self.shared = SimpleRemote()
        self.cache = Complicated(lambda: event("stoppedObserving"))
        self.later = None
        self.run = 0

    # reference / result

    def remote_throw(self, a, b):
        return a.callRemote("catch", b)

    def remote_getSimple(self):
        return SimpleRemote()

    def remote_getShared(self):
        return self.shared

    def remote_thunkBack(self, simple, arg):
        return simple.callRemote("thunk", arg)

    def remote_getNested(self):
        return NestedRemote()

    def remote_exportedCount(self):
        return len(self.broker.localObjects)

    def remote_ping(self):
        return "pong"

    # copy

    def remote_getPoint(self):
        return Point(1, 2)

    def remote_getSecret(self):
        return Secret()

    def remote_sum(self, point):
        return point.x + point.y

    def remote_echo(self, value):
        return value

    def remote_getFactory(self, value):
        return FactoryCopy(value)

    # a viewable sent outside any avatar

    def remote_getView(self):
        return PLAIN_VIEW

    # observe

    def remote_getObservable(self):
        return Observable()

    # deferred

    def _runMe(self, arg):
        self.run = arg
        return arg + 1

    def remote_doItLater(self):
        self.later = defer.Deferred()
        return self.later.addCallback(self._runMe)

    def remote_wasRun(self):
        return self.run != 0

    def remote_fire(self, arg):
        self.later.callback(arg)

    # cache

    def remote_getCache(self):
        return self.cache

    def remote_getCachePair(self):
        return [self.cache, self.cache]

    def remote_getFreshCachePair(self):
        fresh = Complicated(lambda: None)
        return [fresh, fresh]

    def remote_setFoo4(self):
        return self.cache.setFoo4()

    def remote_putCache(self, cache):
        return cache is self.cache

    # paging (test_pb's Pagerizer and FilePagerizer)

    def remote_getPages(self, collector):
        util.StringPager(collector, BIG_STRING, 100, self._pagingDone, "hello", value=10)

    def _pagingDone(self, *args, **kw):
        event("pagingDone %s value=%s" % (args[0], kw["value"]))

    def remote_getPagesWithoutCallback(self, collector):
        util.StringPager(collector, BIG_STRING, 100)

    def remote_getLargePages(self, collector, size):
        util.StringPager(collector, large_payload(size))

    def remote_getFilePages(self, collector):
        self._filePages(collector, BIG_STRING, "filePagingDone")

    def remote_getEmptyFilePages(self, collector):
        self._filePages(collector, b"", "emptyFilePagingDone")

    def _filePages(self, collector, content, done):
        fd, name = tempfile.mkstemp(prefix="pb4j-flavours-")
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        source = open(name, "rb")
        os.unlink(name)

        def finished():
            source.close()
            event(done)

        util.FilePager(collector, source, finished)


class RootFactory(pb.Root):
    def rootObject(self, broker):
        return FlavoursRoot(broker)


# login (test_pb's TestRealm, MyPerspective, MyView, NonSubclassingPerspective)


class MyView(pb.Viewable):
    def view_check(self, user):
        return isinstance(user, MyPerspective)

    def view_whoami(self, user):
        return user.name


VIEW = MyView()


class PlainView(pb.Viewable):
    """A viewable a plain root method hands out: its perspective is None."""

    def view_isNone(self, user):
        return user is None

    def view_whoami(self, user):
        return "nobody" if user is None else user.name


PLAIN_VIEW = PlainView()


class MyPerspective(pb.Avatar):
    def __init__(self, name):
        self.name = name

    def perspective_getViewPoint(self):
        return VIEW

    def perspective_getSecret(self):
        return Secret()

    def perspective_add(self, a, b):
        return a + b

    def perspective_getAvatar(self):
        # Twisted refuses to send a pb.Avatar: it arrives as Unpersistable.
        return self


@implementer(pb.IPerspective)
class NonSubclassingPerspective:
    def __init__(self, name):
        self.name = name

    def perspectiveMessageReceived(self, broker, message, args, kwargs):
        args = broker.unserialize(args, self)
        kwargs = broker.unserialize(kwargs, self)
        return broker.serialize((message, args, kwargs))


class Echoer(pb.Referenceable):
    def remote_echo(self, st):
        return st


@implementer(portal.IRealm)
class FlavoursRealm:
    def requestAvatar(self, avatarId, mind, *interfaces):
        assert pb.IPerspective in interfaces
        if avatarId is checkers.ANONYMOUS:
            event("login anonymous mind=%s" % (mind,))
            return pb.IPerspective, Echoer(), lambda: event("logout anonymous")
        name = avatarId.decode()
        event("login %s mind=%s" % (name, mind))
        if name == "nsp":
            avatar = NonSubclassingPerspective(name)
        else:
            avatar = MyPerspective(name)
        return pb.IPerspective, avatar, lambda: event("logout " + name)


def main():
    mode = sys.argv[-1]
    if mode == "login":
        checker = checkers.InMemoryUsernamePasswordDatabaseDontUse(user=b"pass", nsp=b"pass")
        p = portal.Portal(FlavoursRealm(), [checker, checkers.AllowAnonymousAccess()])
        factory = pb.PBServerFactory(p)
    else:
        factory = pb.PBServerFactory(RootFactory())
    serve(factory)


if __name__ == "__main__":
    main()
