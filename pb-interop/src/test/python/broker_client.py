#!/usr/bin/python3
"""Twisted client of the Broker conformance suite; the Java twin is
io.github.pb4j.interop.broker.BrokerJavaClient (keep the two in step: same scenario names, same
result texts).  Runs scenarios on request, see interop_common.run_client.

Run with /usr/bin/python3 (Twisted 22.4): broker_client.py
"""

import gc

from twisted.internet import defer, reactor, task
from twisted.spread import pb

from broker_common import VALUES, call_text, canon
from interop_common import failure_text, run_client

TIMEOUT = 10


def connect(port):
    factory = pb.PBClientFactory()
    reactor.connectTCP("127.0.0.1", port, factory)
    d = factory.getRootObject()
    d.addCallback(lambda root: (factory, root))
    return d


def outcome(call, *args, **kw):
    """Fires with the canonical text of a call's result or failure (dead references as 'dead')."""
    d = defer.maybeDeferred(call, *args, **kw)

    def failed(f):
        if f.check(pb.DeadReferenceError):
            return "dead"
        return failure_text(f)

    return d.addCallbacks(canon, failed)


def released():
    """Finalizes dropped references now, each sending its decref, and fires after a reactor turn
    (a reference passed through a Deferred chain may be freed only after the turn that fired it)."""
    gc.collect()
    return task.deferLater(reactor, 0, gc.collect)


def scenario(f):
    """A scenario: connects, runs f(root) and disconnects, whatever happens."""
    @defer.inlineCallbacks
    def run(port):
        factory, root = yield connect(port)
        try:
            result = yield f(root)
        finally:
            factory.disconnect()
        return result
    return run


@defer.inlineCallbacks
def call_positional(root):
    a = yield outcome(root.callRemote, "add", 2, 3)
    b = yield outcome(root.callRemote, "add", 7)
    s = yield root.callRemote("signature", 1, "two", None)
    return "add(2, 3)=%s add(7)=%s signature=%s" % (a, b, s)


@defer.inlineCallbacks
def call_keywords(root):
    a = yield outcome(root.callRemote, "add", 2, b=40)
    b = yield outcome(root.callRemote, "add", a=1, b=2)
    s = yield root.callRemote("signature", 1, y=b"four", x=3)
    return "add(2, b=40)=%s add(a=1, b=2)=%s signature=%s" % (a, b, s)


def echo(name):
    @defer.inlineCallbacks
    def run(root):
        value = VALUES[name]
        seen = yield root.callRemote("describe", value)
        back = yield root.callRemote("echo", value)
        return "server saw %s; got back %s" % (seen, canon(back))
    return run


def failure_with(expected_type):
    def text(f):
        return "%s; check %s: %s" % (failure_text(f), expected_type, bool(f.check(expected_type)))
    return text


def error_exception(root):
    d = root.callRemote("fail")
    return d.addCallbacks(canon, failure_with("builtins.ValueError"))


def error_pb_error(root):
    d = root.callRemote("refuse")
    return d.addCallbacks(canon, failure_with("twisted.spread.pb.Error"))


def error_no_such_method(root):
    return outcome(root.callRemote, "nosuch", 1)


def error_wrong_arity(root):
    return outcome(root.callRemote, "add", 1, 2, 3)


def error_missing_argument(root):
    return outcome(root.callRemote, "add", b=2)


@defer.inlineCallbacks
def no_answer(root):
    noted = root.callRemote("note", "quiet", pbanswer=False)
    failed = root.callRemote("fail", pbanswer=False)
    notes = yield root.callRemote("notes")
    return "note returned %s; fail returned %s; notes=%s" % (canon(noted), canon(failed), canon(notes))


class Callback(pb.Referenceable):
    def __init__(self):
        self.seen = []

    def remote_ping(self, text):
        self.seen.append(text)
        return "pong " + text


@defer.inlineCallbacks
def local_identity(root):
    thing = yield root.callRemote("makeThing", "mine")
    mine = yield root.callRemote("isMine", thing)
    root_is_thing = yield root.callRemote("isMine", root)
    own = Callback()
    # The server keeps its reference: one it dropped would be decref'd (and forgotten here) before
    # the answer that sends it back arrives.
    yield root.callRemote("keep", own)
    back = yield root.callRemote("kept")
    return "server: mine=%s root=%s; client: own object back=%s" % (mine, root_is_thing, back is own)


def given_back(root):
    """The server returns a client object it held only as the call's argument."""
    own = Callback()
    d = root.callRemote("giveBack", own)
    return d.addCallbacks(lambda back: "own object" if back is own else canon(back), failure_text)


@defer.inlineCallbacks
def callback(root):
    cb = Callback()
    answer = yield root.callRemote("callMeBack", cb, "hi")
    return "server got %s; client saw %s" % (canon(answer), canon(cb.seen))


@defer.inlineCallbacks
def refcount(root):
    start = yield root.callRemote("exported")
    thing = yield root.callRemote("makeThing", "counted")
    made = yield root.callRemote("exported")
    del thing
    yield released()
    after = yield root.callRemote("exported")
    first = yield root.callRemote("shared")
    second = yield root.callRemote("shared")
    shared = yield root.callRemote("exported")
    same = first.luid == second.luid
    del first, second
    yield released()
    end = yield root.callRemote("exported")
    return "exported: start=%s made=%s released=%s; shared twice=%s same luid=%s released=%s" % (
        start, made, after, shared, same, end)


@defer.inlineCallbacks
def limit(root):
    results = yield defer.DeferredList(
        [root.callRemote("makeThing", "t%d" % i) for i in range(1025)], consumeErrors=True)
    refs = [r for ok, r in results if ok]
    refused = [failure_text(r) for ok, r in results if not ok]
    del results
    count = yield root.callRemote("exported")
    del refs[0]
    yield released()
    again = yield outcome(root.callRemote, "makeThing", "t1025")
    del refs
    yield released()
    end = yield root.callRemote("exported")
    return "made %d; refused %s; exported=%s; after releasing one: %s; after releasing all: exported=%s" % (
        1025 - len(refused), canon(refused), count, again, end)


@defer.inlineCallbacks
def limit_goodbye(root):
    """Four violations of the limit: the server answers the fourth with "Goodbye." and closes."""
    lost = defer.Deferred()
    root.broker.notifyOnDisconnect(lambda: lost.callback(True))
    results = yield defer.DeferredList(
        [root.callRemote("makeThing", "t%d" % i) for i in range(1028)], consumeErrors=True)
    refused = [failure_text(r) for ok, r in results if not ok]
    del results
    lost.addTimeout(TIMEOUT, reactor)
    closed = yield lost
    return "made %d; refused %s; connection closed: %s" % (1028 - len(refused), canon(refused), closed)


@defer.inlineCallbacks
def disconnect_notification(root):
    thing = yield root.callRemote("makeThing", "watched")
    notified = defer.Deferred()
    thing.notifyOnDisconnect(lambda ref: notified.callback(ref is thing))
    bye = yield root.callRemote("dropMe")
    notified.addTimeout(TIMEOUT, reactor)
    same = yield notified
    after = yield outcome(thing.callRemote, "name")
    return "dropMe=%s; notified with the same reference: %s; call after: %s" % (canon(bye), same, after)


@defer.inlineCallbacks
def dead_after_client_close(port):
    factory, root = yield connect(port)
    thing = yield root.callRemote("makeThing", "doomed")
    lost = defer.Deferred()
    root.broker.notifyOnDisconnect(lambda: lost.callback(None))
    factory.disconnect()
    lost.addTimeout(TIMEOUT, reactor)
    yield lost
    on_root = yield outcome(root.callRemote, "exported")
    on_thing = yield outcome(thing.callRemote, "name")
    return "root after close: %s; thing after close: %s" % (on_root, on_thing)


SCENARIOS = {
    "call_positional": scenario(call_positional),
    "call_keywords": scenario(call_keywords),
    "error_exception": scenario(error_exception),
    "error_pb_error": scenario(error_pb_error),
    "error_no_such_method": scenario(error_no_such_method),
    "error_wrong_arity": scenario(error_wrong_arity),
    "error_missing_argument": scenario(error_missing_argument),
    "no_answer": scenario(no_answer),
    "local_identity": scenario(local_identity),
    "given_back": scenario(given_back),
    "callback": scenario(callback),
    "refcount": scenario(refcount),
    "limit": scenario(limit),
    "limit_goodbye": scenario(limit_goodbye),
    "disconnect_notification": scenario(disconnect_notification),
    "dead_after_client_close": dead_after_client_close,
}
for _name in VALUES:
    SCENARIOS["echo_" + _name] = scenario(echo(_name))

if __name__ == "__main__":
    run_client(SCENARIOS)
