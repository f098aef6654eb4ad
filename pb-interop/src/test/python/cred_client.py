"""Twisted client of the cred conformance suite (AbstractCredConformanceIT).

Runs the suite's scenarios with PBClientFactory.login (bytes usernames and passwords, as Twisted
22.4 requires) against a server that serves the suite's realm (cred_server.py or the Java twin)
and prints canonical result texts, written exactly as the Java client writes them.

Run: /usr/bin/python3 cred_client.py [--tls-ca PEM]   (then `RUN <scenario> <port>` lines on stdin)
With --tls-ca every connection is TLS (Twisted's own, pyOpenSSL), the server's certificate checked
against that CA and the name 127.0.0.1.
"""

import argparse
import gc
import socket
import weakref

from twisted.cred import credentials
from twisted.cred.error import LoginFailed, UnauthorizedLogin, UnhandledCredentials
from twisted.internet import defer, reactor
from twisted.internet.error import ConnectionRefusedError
from twisted.spread import pb

from interop_common import failure_text, run_client


def login_credentials(username, password):
    return credentials.UsernamePassword(username.encode(), password.encode())


ALICE = login_credentials("alice", "secret")
BOB = login_credentials("bob", "hunter2")
CAROL = login_credentials("carol", "fido")
# Passwords no log should ever show (CredSecretsNotLoggedIT looks for them).
DAVE = login_credentials("dave", "Tr0ub4dor&3-pb4j")
DAVE_WRONG = login_credentials("dave", "Wr0ng-guess-pb4j")


class Mind(pb.Referenceable):
    """The client-side object the server's avatar calls back."""

    def __init__(self):
        self.notes = []

    def remote_notify(self, note):
        self.notes.append(note)
        return "ack " + note


TLS = {"options": None}


def connect(port):
    factory = pb.PBClientFactory()
    if TLS["options"] is None:
        reactor.connectTCP("127.0.0.1", port, factory)
    else:
        reactor.connectSSL("127.0.0.1", port, factory, TLS["options"])
    return factory


def disconnect(factory, ref):
    """Drops the connection and fires once the client has seen it go."""
    lost = defer.Deferred()
    ref.notifyOnDisconnect(lambda _: lost.callback(None))
    factory.disconnect()
    return lost


def settle(d):
    """Fires with (True, result) or (False, failure), never errbacks."""
    return d.addCallbacks(lambda r: (True, r), lambda f: (False, f))


def kind(failure):
    """Canonical name of a local failure."""
    if failure.check(pb.PBConnectionLost):
        return "connection lost"
    if failure.check(pb.DeadReferenceError):
        return "dead reference"
    if failure.check(ConnectionRefusedError):
        return "connection refused"
    return "unexpected " + failure_text(failure)


def outcome(settled):
    ok, value = settled
    return "answered %s" % (value,) if ok else kind(value)


def refused(settled, expected):
    """`refused <type>: <value>`; marks a failure that trap() would not recognise."""
    ok, value = settled
    if ok:
        return "accepted"
    prefix = "" if value.check(expected) and value.check(LoginFailed) else "UNTRAPPABLE "
    return "refused " + prefix + failure_text(value)


def remote_type(settled):
    ok, value = settled
    return "accepted" if ok else failure_text(value).split(":")[0]


@defer.inlineCallbacks
def get_root_object(port):
    factory = connect(port)
    root = yield factory.getRootObject()
    is_reference = isinstance(root, pb.RemoteReference)
    what = "root reference" if is_reference else "root " + type(root).__name__
    yield disconnect(factory, root)
    return what + "; disconnect notified"


@defer.inlineCallbacks
def dead_reference(port):
    factory = connect(port)
    root = yield factory.getRootObject()
    yield disconnect(factory, root)
    try:
        result = yield settle(root.callRemote("method"))
        text = outcome(result)
    except pb.DeadReferenceError:
        text = "dead reference"
    return "after disconnect: " + text


@defer.inlineCallbacks
def connection_lost(port):
    factory = connect(port)
    # sleepy's avatar never comes, so that login is still pending when the connection goes.
    pending_login = settle(factory.login(login_credentials("sleepy", "zzz")))
    alice = yield factory.login(ALICE)
    pending_call = settle(alice.callRemote("hang"))
    yield disconnect(factory, alice)
    login_text = outcome((yield pending_login))
    call_text = outcome((yield pending_call))
    again = connect(port)
    avatar = yield again.login(ALICE)
    name = yield avatar.callRemote("getAvatarId")
    yield disconnect(again, avatar)
    return "pending login: %s; pending call: %s; new connection: %s" % (login_text, call_text, name)


@defer.inlineCallbacks
def immediate_close(port):
    raw = socket.create_connection(("127.0.0.1", port))
    raw.close()
    factory = connect(port)
    avatar = yield factory.login(ALICE)
    name = yield avatar.callRemote("getAvatarId")
    yield disconnect(factory, avatar)
    return "server still serves: " + name


@defer.inlineCallbacks
def connection_refused(port):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    factory = connect(closed_port)
    result = yield settle(factory.login(ALICE))
    return outcome(result)


@defer.inlineCallbacks
def login_logout(port):
    factory = connect(port)
    avatar = yield factory.login(ALICE, "BRAINS!")
    name = yield avatar.callRemote("getAvatarId")
    mind = yield avatar.callRemote("getMind")
    yield disconnect(factory, avatar)
    return "logged in as %s; mind %s" % (name, mind)


@defer.inlineCallbacks
def logout_after_decref(port):
    factory = connect(port)
    avatar = yield factory.login(ALICE, "BRAINS!")
    name = yield avatar.callRemote("getAvatarId")
    gone = weakref.ref(avatar)
    del avatar
    gc.collect()  # the proxy's __del__ sends the decref
    if gone() is not None:
        return "avatar proxy still referenced"
    # The server handles the decref before this second login on the same connection.
    bob = yield factory.login(BOB)
    other = yield bob.callRemote("getAvatarId")
    yield disconnect(factory, bob)
    return "released %s; then %s" % (name, other)


@defer.inlineCallbacks
def concurrent_login(port):
    factory = connect(port)
    avatars = yield defer.gatherResults([factory.login(ALICE), factory.login(BOB)])
    one = yield defer.gatherResults([a.callRemote("getAvatarId") for a in avatars])
    factories = [connect(port) for _ in range(3)]
    others = yield defer.gatherResults(
        [f.login(c) for f, c in zip(factories, [ALICE, BOB, CAROL])])
    several = yield defer.gatherResults([a.callRemote("getAvatarId") for a in others])
    yield defer.gatherResults([disconnect(f, a) for f, a in zip(factories, others)])
    yield disconnect(factory, avatars[0])
    return "one connection: %s; several connections: %s" % (", ".join(one), ", ".join(several))


@defer.inlineCallbacks
def refused_then_alice(port, creds, expected):
    factory = connect(port)
    text = refused((yield settle(factory.login(creds))), expected)
    avatar = yield factory.login(ALICE)
    name = yield avatar.callRemote("getAvatarId")
    yield disconnect(factory, avatar)
    return "%s; same connection: %s" % (text, name)


def bad_username(port):
    return refused_then_alice(port, login_credentials("nosuchuser", "secret"), UnauthorizedLogin)


def bad_password(port):
    return refused_then_alice(port, login_credentials("alice", "WRONG"), UnauthorizedLogin)


def anonymous_not_permitted(port):
    return refused_then_alice(port, credentials.Anonymous(), UnhandledCredentials)


@defer.inlineCallbacks
def anonymous_login(port):
    factory = connect(port)
    avatar = yield factory.login(credentials.Anonymous(), "BRAINS!")
    name = yield avatar.callRemote("getAvatarId")
    echoed = yield avatar.callRemote("echo", 123)
    yield disconnect(factory, avatar)
    return "%s echo %s" % (name, echoed)


@defer.inlineCallbacks
def authenticated_login(port):
    factory = connect(port)
    avatar = yield factory.login(ALICE, "BRAINS!")
    name = yield avatar.callRemote("getAvatarId")
    total = yield avatar.callRemote("add", 100, 23)
    yield disconnect(factory, avatar)
    return "%s add %s" % (name, total)


@defer.inlineCallbacks
def view(port):
    factory = connect(port)
    alice = yield factory.login(ALICE)
    bob = yield factory.login(BOB)
    alice_view = yield alice.callRemote("getViewPoint")
    bob_view = yield bob.callRemote("getViewPoint")
    alice_sees = yield alice_view.callRemote("check")
    bob_sees = yield bob_view.callRemote("check")
    positional = remote_type((yield settle(alice_view.callRemote("check", "bob"))))
    keyword = remote_type((yield settle(alice_view.callRemote("check", user="bob"))))
    yield disconnect(factory, alice)
    return "alice sees %s; bob sees %s; forged positional: %s; forged keyword: %s" % (
        alice_sees, bob_sees, positional, keyword)


@defer.inlineCallbacks
def mind(port):
    factory = connect(port)
    client_mind = Mind()
    avatar = yield factory.login(ALICE, client_mind)
    answer = yield avatar.callRemote("poke", "hello")
    yield disconnect(factory, avatar)
    return "poke answered %s; mind got [%s]" % (answer, ", ".join(client_mind.notes))


@defer.inlineCallbacks
def dave_logins(port):
    """A right and a wrong password of dave, for the test that looks for them in logs."""
    factory = connect(port)
    avatar = yield factory.login(DAVE)
    name = yield avatar.callRemote("getAvatarId")
    text = refused((yield settle(factory.login(DAVE_WRONG))), UnauthorizedLogin)
    yield disconnect(factory, avatar)
    return "%s; %s" % (name, text)


SCENARIOS = {
    "getRootObject": get_root_object,
    "deadReference": dead_reference,
    "connectionLost": connection_lost,
    "immediateClose": immediate_close,
    "connectionRefused": connection_refused,
    "loginLogout": login_logout,
    "logoutAfterDecref": logout_after_decref,
    "concurrentLogin": concurrent_login,
    "badUsername": bad_username,
    "badPassword": bad_password,
    "anonymousLogin": anonymous_login,
    "anonymousLoginNotPermitted": anonymous_not_permitted,
    "anonymousLoginWithMultipleCheckers": anonymous_login,
    "authenticatedLoginWithMultipleCheckers": authenticated_login,
    "view": view,
    "mind": mind,
    "daveLogins": dave_logins,
}

def tls_options(ca_path):
    from twisted.internet import ssl

    with open(ca_path, "rb") as f:
        trust = ssl.Certificate.loadPEM(f.read())
    return ssl.optionsForClientTLS("127.0.0.1", trustRoot=trust)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tls-ca")
    if parser.parse_args().tls_ca:
        TLS["options"] = tls_options(parser.parse_args().tls_ca)
    run_client(SCENARIOS)
