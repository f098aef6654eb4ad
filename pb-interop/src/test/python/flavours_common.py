"""Pass-by-copy and cache types shared by flavours_server.py and flavours_client.py.

The wire names (flavours.Point, ...) are fixed here and in the Java suite
(io.github.pb4j.interop.flavours.FlavourTypes), so that both languages agree on them.
Modelled on the classes of twisted/spread/test/test_pb.py.
"""

from twisted.spread import pb

MAX_BROKER_REFS = pb.MAX_BROKER_REFS

# test_pb.py's bigString: 500 bytes, paged in 100-byte pages.
BIG_STRING = b"helloworld" * 50

# A payload above Banana's 640 KiB string limit: it can only travel in pages.
LARGE_SIZE = 700000


def large_payload(size=LARGE_SIZE):
    """Deterministic bytes, the same as FlavourTypes.largePayload in Java: byte i is i % 251."""
    block = bytes(range(251))
    return (block * (size // 251 + 1))[:size]


def perspective_name(perspective):
    """The name of the avatar a copy is made for, or None outside any avatar."""
    return getattr(perspective, "name", None)


class Point(pb.Copyable, pb.RemoteCopy):
    """flavours.Point: plain state {x, y}; sent and received (as test_pb's NewStyleCopy)."""

    def __init__(self, x=0, y=0):
        self.x = x
        self.y = y

    def getTypeToCopy(self):
        return b"flavours.Point"

    def __repr__(self):
        return "Point(%r, %r)" % (self.x, self.y)


pb.setUnjellyableForClass("flavours.Point", Point)


class Secret(pb.Copyable):
    """flavours.Secret: state chosen per receiving perspective (getStateToCopyFor)."""

    def getTypeToCopy(self):
        return b"flavours.Secret"

    def getStateToCopyFor(self, perspective):
        name = perspective_name(perspective)
        return {"viewer": name, "text": "redacted" if name is None else "for " + name}


class RemoteSecret(pb.RemoteCopy):
    def __repr__(self):
        return "Secret(viewer=%s, text=%s)" % (self.viewer, self.text)


pb.setUnjellyableForClass("flavours.Secret", RemoteSecret)


class FactoryCopy(pb.Copyable):
    """flavours.FactoryCopy: test_pb's SimpleFactoryCopy; received through a factory."""

    def __init__(self, id):
        self.id = id

    def getTypeToCopy(self):
        return b"flavours.FactoryCopy"


class FactoryMade:
    def __init__(self, id):
        self.id = id


def create_factory_copy(state):
    """The receiving side's factory: builds the object from the state, as createFactoryCopy."""
    if "id" not in state:
        raise RuntimeError("factory copy state has no 'id' member %r" % (state,))
    return FactoryMade(state["id"])


pb.setUnjellyableFactoryForClass("flavours.FactoryCopy", create_factory_copy)


class Unregistered(pb.Copyable):
    """flavours.Unregistered: nobody registers this name, so receivers must refuse it."""

    def getTypeToCopy(self):
        return b"flavours.Unregistered"


class Complicated(pb.Cacheable):
    """flavours.Complicated: test_pb's VeryVeryComplicatedCacheable."""

    def __init__(self, on_stopped):
        self.x = 1
        self.y = 2
        self.foo = 3
        self.observer = None
        self.on_stopped = on_stopped

    def getTypeToCopy(self):
        return b"flavours.Complicated"

    def setFoo4(self):
        self.foo = 4
        return self.observer.callRemote("foo", 4)

    def getStateToCacheAndObserveFor(self, perspective, observer):
        self.observer = observer
        return {"x": self.x, "y": self.y, "foo": self.foo}

    def stoppedObserving(self, perspective, observer):
        # As in test_pb: a last call through the observer, then forget it.
        observer.callRemote("end")
        if observer == self.observer:
            self.observer = None
        self.on_stopped()


# Calls of observe_end, in order: the copy itself may be gone by then.
ENDED = []


class RatherBaroqueCache(pb.RemoteCache):
    def observe_foo(self, newFoo):
        self.foo = newFoo
        return newFoo

    def observe_end(self):
        ENDED.append(self.luid)


pb.setUnjellyableForClass("flavours.Complicated", RatherBaroqueCache)
