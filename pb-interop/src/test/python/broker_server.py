#!/usr/bin/python3
"""Twisted server of the Broker conformance suite; the Java twin is
io.github.pb4j.interop.broker.BrokerRoot (keep the two in step).

Each connection gets its own BrokerRoot, which knows its broker (for the count of exported objects
and for closing the connection).  Events: `noted <text>` when note() runs, `dropped connection
lost` when a connection closed by dropMe() has ended.

Run with /usr/bin/python3 (Twisted 22.4): broker_server.py --port 0
"""

import weakref

from twisted.internet import reactor
from twisted.python import failure, reflect
from twisted.spread import pb

from broker_common import call_text, canon
from interop_common import event, serve


class Thing(pb.Referenceable):
    def __init__(self, name):
        self.name = name

    def remote_name(self):
        return self.name


class BrokerRoot(pb.Root):
    def __init__(self, broker):
        self.broker = broker
        self.notes = []
        self.made = weakref.WeakValueDictionary()
        self.shared_thing = None
        self.kept = None

    def remote_add(self, a, b=1):
        return a + b

    def remote_signature(self, *args, **kw):
        return call_text(args, kw)

    def remote_describe(self, value):
        return canon(value)

    def remote_echo(self, value):
        return value

    def remote_fail(self):
        raise ValueError("boom")

    def remote_refuse(self):
        raise pb.Error("not allowed")

    def remote_describeFailure(self, f):
        """How a failure sent as a value arrives: its class, type, text, and what check() sees."""
        if not isinstance(f, failure.Failure):
            return "not a Failure: %r" % (f,)
        kind = f.type.decode("utf-8") if isinstance(f.type, bytes) else reflect.qual(f.type)
        return "%s %s: %s; check builtins.ValueError: %s" % (
            type(f).__name__, kind, f.getErrorMessage(), f.check("builtins.ValueError") is not None)

    def remote_note(self, text):
        self.notes.append(text)
        event("noted " + text)

    def remote_notes(self):
        return list(self.notes)

    def remote_makeThing(self, name):
        thing = Thing(name)
        self.made[name] = thing
        return thing

    def remote_shared(self):
        # Kept only through the broker's table once sent, so it is freed when released.
        thing = self.shared_thing() if self.shared_thing is not None else None
        if thing is None:
            thing = Thing("shared")
            self.shared_thing = weakref.ref(thing)
        return thing

    def remote_exported(self):
        """The number of objects this connection exports, root included."""
        return len(self.broker.localObjects)

    def remote_isMine(self, value):
        """True if `value` is, by identity, a Thing this root made."""
        return isinstance(value, Thing) and self.made.get(value.name) is value

    def remote_giveBack(self, value):
        return value

    def remote_keep(self, value):
        self.kept = value

    def remote_kept(self):
        return self.kept

    def remote_callMeBack(self, callback, text):
        return callback.callRemote("ping", text)

    def remote_dropMe(self):
        """Answers, then closes the connection from the server side."""
        self.broker.notifyOnDisconnect(lambda: event("dropped connection lost"))
        reactor.callLater(0, self.broker.transport.loseConnection)
        return "bye"


class RootPerConnection(pb.Root):
    def rootObject(self, broker):
        return BrokerRoot(broker)


if __name__ == "__main__":
    serve(pb.PBServerFactory(RootPerConnection()))
