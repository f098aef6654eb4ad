"""Twisted client of the flavours conformance suite (twin of FlavoursScenarios in Java).

Each scenario connects afresh, follows one of twisted/spread/test/test_pb.py's broker tests and
answers a canonical result text; the Java scenarios answer the same text for the same behaviour.
Scenario names ending in "Login" take the port of the login server, the others the root server.
"""

import gc

from twisted.cred import credentials
from twisted.internet import defer, reactor, task
from twisted.spread import jelly, pb, util

from flavours_common import (
    BIG_STRING,
    ENDED,
    LARGE_SIZE,
    MAX_BROKER_REFS,
    Point,
    Unregistered,
    large_payload,
)
from interop_common import run_client


def remote_text(e):
    """Canonical text of a remote failure, as Results.failureText renders it in Java."""
    if isinstance(e, pb.RemoteError):
        t = e.remoteType.decode() if isinstance(e.remoteType, bytes) else e.remoteType
        return "%s: %s" % (t, e.args[0] if e.args else "")
    return "%s.%s: %s" % (type(e).__module__, type(e).__qualname__, e)


def py(value):
    return "True" if value else "False"


@defer.inlineCallbacks
def connect(port):
    factory = pb.PBClientFactory()
    reactor.connectTCP("127.0.0.1", port, factory)
    root = yield factory.getRootObject()
    return factory, root


@defer.inlineCallbacks
def login(port, creds, mind="BRAINS!"):
    factory = pb.PBClientFactory()
    reactor.connectTCP("127.0.0.1", port, factory)
    avatar = yield factory.login(creds, mind)
    return factory, avatar


def collect():
    """Drops garbage now, so that released proxies send their decref / decache."""
    for _ in range(3):
        gc.collect()


def settle():
    """Lets the reactor run once (sends queued decrefs)."""
    return task.deferLater(reactor, 0, lambda: None)


def disconnected(broker):
    d = defer.Deferred()
    if broker.disconnected:
        d.callback(None)
    else:
        broker.notifyOnDisconnect(lambda: d.callback(None) if not d.called else None)
    return d


class X(pb.Referenceable):
    caught = None

    def remote_catch(self, arg):
        self.caught = arg
        return "caught"


class SimpleRemote(pb.Referenceable):
    arg = None

    def remote_thunk(self, arg):
        self.arg = arg
        return arg + 1


class Observer(pb.Referenceable):
    notified = 0
    obj = None

    def remote_notify(self, other, obj):
        self.obj = obj
        self.notified = self.notified + 1
        other.callRemote("unobserve", self)


# scenarios, in the order of test_pb.BrokerTests


@defer.inlineCallbacks
def reference(port):
    factory, root = yield connect(port)
    x, z = X(), X()
    answer = yield root.callRemote("throw", x, z)
    factory.disconnect()
    return "answer=%s identical=%s" % (answer, py(x.caught is z))


@defer.inlineCallbacks
def result(port):
    factory, root = yield connect(port)
    simple = yield root.callRemote("getSimple")
    thunk = yield simple.callRemote("thunk", 7)
    local = SimpleRemote()
    reverse = yield root.callRemote("thunkBack", local, 7)
    try:
        yield simple.callRemote("knuth", 1)
        knuth = "no failure"
    except Exception as e:
        knuth = remote_text(e)
    factory.disconnect()
    return "thunk=%d reverse=%d arg=%d knuth=%s" % (thunk, reverse, local.arg, knuth)


@defer.inlineCallbacks
def tooManyRefs(port):
    factory, root = yield connect(port)
    broker = root.broker
    nested = yield root.callRemote("getNested")
    kept, refused, end = [], 0, "none"
    for _ in range(MAX_BROKER_REFS + 10):
        try:
            kept.append((yield nested.callRemote("getSimple")))
        except pb.PBConnectionLost:
            end = "lost"
            break
        except Exception as e:
            text = remote_text(e)
            if text != "twisted.spread.pb.Error: Maximum PB reference count exceeded.":
                end = text
                break
            refused += 1
    yield disconnected(broker)
    return "ok=%d refused=%d end=%s closed=True" % (len(kept), refused, end)


@defer.inlineCallbacks
def copy(port):
    factory, root = yield connect(port)
    point = yield root.callRemote("getPoint")
    secret = yield root.callRemote("getSecret")
    total = yield root.callRemote("sum", Point(3, 4))
    sent = Point(5, 6)
    echo = yield root.callRemote("echo", sent)
    factory.disconnect()
    return "point=%r secret=%r sum=%d echo=%r fresh=%s" % (
        point, secret, total, echo, py(echo is not sent and isinstance(echo, Point)))


@defer.inlineCallbacks
def refusedCopy(port):
    factory, root = yield connect(port)
    try:
        yield root.callRemote("echo", Unregistered())
        refused = "no failure"
    except Exception as e:
        refused = remote_text(e)
    pong = yield root.callRemote("ping")
    factory.disconnect()
    return "refused=%s then=%s" % (refused, pong)


@defer.inlineCallbacks
def factoryCopy(port):
    factory, root = yield connect(port)
    made = yield root.callRemote("getFactory", 99)
    factory.disconnect()
    return "id=%d viaFactory=%s" % (made.id, py(type(made).__name__ == "FactoryMade"))


@defer.inlineCallbacks
def observe(port):
    factory, root = yield connect(port)
    observable = yield root.callRemote("getObservable")
    b = Observer()
    yield observable.callRemote("observe", b)
    first = yield observable.callRemote("notify", 1)
    second = yield observable.callRemote("notify", 10)
    factory.disconnect()
    return "first=%d second=%d notified=%d obj=%r" % (first, second, b.notified, b.obj)


@defer.inlineCallbacks
def deferred(port):
    factory, root = yield connect(port)
    later = root.callRemote("doItLater")
    ranEarly = yield root.callRemote("wasRun")
    yield root.callRemote("fire", 5)
    value = yield later
    factory.disconnect()
    return "ranEarly=%s result=%d" % (py(ranEarly), value)


@defer.inlineCallbacks
def refcount(port):
    factory, root = yield connect(port)
    before = yield root.callRemote("exportedCount")
    simple = yield root.callRemote("getSimple")
    during = yield root.callRemote("exportedCount")
    shared1 = yield root.callRemote("getShared")
    shared2 = yield root.callRemote("getShared")
    twice = yield root.callRemote("exportedCount")
    del simple, shared1, shared2
    collect()
    yield settle()
    after = yield root.callRemote("exportedCount")
    factory.disconnect()
    return "before=%d during=%d twice=%d after=%d" % (before, during, twice, after)


@defer.inlineCallbacks
def cache(port):
    factory, root = yield connect(port)
    broker = root.broker
    first = yield root.callRemote("getCache")
    second = yield root.callRemote("getCache")
    pair = yield root.callRemote("getCachePair")
    state = "x=%d y=%d foo=%d" % (first.x, first.y, first.foo)
    same = first.__dict__ is second.__dict__
    samePair = pair[0].__dict__ is pair[1].__dict__ is first.__dict__
    yield root.callRemote("setFoo4")
    foo = first.foo
    lcache = yield root.callRemote("putCache", first)
    luid = first.luid
    del ENDED[:]
    del first, second, pair
    collect()
    yield settle()
    yield root.callRemote("ping")
    ended = luid in ENDED
    uncached = luid not in broker.locallyCachedObjects
    factory.disconnect()
    return "%s same=%s pair=%s foo=%d lcache=%s ended=%s uncached=%s" % (
        state, py(same), py(samePair), foo, py(lcache), py(ended), py(uncached))


@defer.inlineCallbacks
def cachedTwice(port):
    """One proxy per occurrence received: [cached, luid] twice, or a full copy and a dereference."""
    factory, root = yield connect(port)
    first = yield root.callRemote("getCache")
    cached = yield root.callRemote("getCachePair")
    fresh = yield root.callRemote("getFreshCachePair")
    factory.disconnect()
    return "cachedPair=%d freshPair=%d" % (
        len({id(c) for c in cached}), len({id(c) for c in fresh}))


@defer.inlineCallbacks
def pagingWithCallback(port):
    factory, root = yield connect(port)
    pages = yield util.getAllPages(root, "getPages")
    factory.disconnect()
    return pages_text(pages, BIG_STRING)


@defer.inlineCallbacks
def pagingWithoutCallback(port):
    factory, root = yield connect(port)
    pages = yield util.getAllPages(root, "getPagesWithoutCallback")
    factory.disconnect()
    return pages_text(pages, BIG_STRING)


@defer.inlineCallbacks
def pagingLarge(port):
    factory, root = yield connect(port)
    pages = yield util.getAllPages(root, "getLargePages", LARGE_SIZE)
    factory.disconnect()
    return pages_text(pages, large_payload(LARGE_SIZE))


@defer.inlineCallbacks
def filePaging(port):
    factory, root = yield connect(port)
    pages = yield util.getAllPages(root, "getFilePages")
    factory.disconnect()
    return pages_text(pages, BIG_STRING)


@defer.inlineCallbacks
def emptyFilePaging(port):
    factory, root = yield connect(port)
    pages = yield util.getAllPages(root, "getEmptyFilePages")
    factory.disconnect()
    return pages_text(pages, b"")


def pages_text(pages, expected):
    data = b"".join(pages)
    return "pages=%d bytes=%d equal=%s" % (len(pages), len(data), py(data == expected))


@defer.inlineCallbacks
def viewLogin(port):
    factory, avatar = yield login(port, credentials.UsernamePassword(b"user", b"pass"))
    view = yield avatar.callRemote("getViewPoint")
    check = yield view.callRemote("check")
    whoami = yield view.callRemote("whoami")
    again = yield avatar.callRemote("getViewPoint")
    secret = yield avatar.callRemote("getSecret")
    total = yield avatar.callRemote("add", 2, 3)
    factory.disconnect()
    return "check=%s whoami=%s sameViewPoint=%s secret=%r add=%d" % (
        py(check), whoami, py(again.luid == view.luid), secret, total)


@defer.inlineCallbacks
def nonAvatarLogin(port):
    factory, avatar = yield login(port, credentials.UsernamePassword(b"nsp", b"pass"))
    anything = yield avatar.callRemote("ANYTHING", "here", bar="baz")
    factory.disconnect()
    factory, echoer = yield login(port, credentials.Anonymous())
    echo = yield echoer.callRemote("echo", "hi")
    factory.disconnect()
    return "nsp=%r anonymous=%s" % (anything, echo)


@defer.inlineCallbacks
def viewNoPerspective(port):
    factory, root = yield connect(port)
    view = yield root.callRemote("getView")
    none = yield view.callRemote("isNone")
    whoami = yield view.callRemote("whoami")
    factory.disconnect()
    return "none=%s whoami=%s" % (py(none), whoami)


@defer.inlineCallbacks
def avatarLogin(port):
    factory, avatar = yield login(port, credentials.UsernamePassword(b"user", b"pass"))
    try:
        value = yield avatar.callRemote("getAvatar")
        if isinstance(value, jelly.Unpersistable):
            got = "unpersistable insecure=%s" % py("deemed insecure" in value.reason)
        elif isinstance(value, pb.RemoteReference):
            got = "reference"
        else:
            got = "value=%r" % (value,)
    except Exception as e:
        text = remote_text(e)
        got = "refused=%s insecure=%s" % (text.split(":")[0], py("deemed insecure" in text))
    total = yield avatar.callRemote("add", 2, 3)
    factory.disconnect()
    return "%s then=%d" % (got, total)


SCENARIOS = {
    f.__name__: f
    for f in [
        reference, result, tooManyRefs, copy, refusedCopy, factoryCopy, observe, deferred,
        refcount, cache, cachedTwice, pagingWithCallback, pagingWithoutCallback, pagingLarge,
        filePaging, emptyFilePaging, viewLogin, nonAvatarLogin, viewNoPerspective, avatarLogin,
    ]
}

if __name__ == "__main__":
    run_client(SCENARIOS)
