"""Twisted PB peer over Twisted's own TLS (pyOpenSSL), for pb4j's TLS interop tests.

Usage:
  tls_peer.py server --port 0 --cert PEM --key PEM [--client-ca PEM]
      A cred server (user alice, password b"secret"; avatars answer whoami() and echo(x)) on
      127.0.0.1 over TLS; with --client-ca, clients must present a certificate of that CA.
      Prints "READY <port>", exits when stdin closes.
  tls_peer.py client --port P --ca PEM --hostname NAME --mode MODE [--cert PEM --key PEM]
      Connects to 127.0.0.1:P over TLS, verifying the server's certificate against --ca and its
      name against --hostname (optionsForClientTLS), optionally presenting a client certificate.
      MODE echo: calls root.echo(x) for a few values; password: logs in as alice/secret with
      PB's challenge; certificate: calls pb4j's root.loginCertificate(None). Then calls whoami()
      on the avatar. MODE disconnect: calls root.echo(1), then disconnects gracefully (TLS
      close_notify first) and prints "DISCONNECTED <seconds>" once the connection is gone. Prints "WHOAMI <name>" / "ECHO <repr>" lines, then "DONE";
      on a failure prints "ERROR <message>" and exits 1.
"""

import argparse
import sys
import threading
import time

from twisted.cred import checkers, credentials, portal
from twisted.internet import defer, reactor, ssl
from twisted.python import log
from twisted.spread import pb
from zope.interface import implementer


class Avatar(pb.Avatar):
    def __init__(self, name):
        self.name = name

    def perspective_whoami(self):
        return self.name

    def perspective_echo(self, value):
        return value


@implementer(portal.IRealm)
class Realm:
    def requestAvatar(self, avatarId, mind, *interfaces):
        name = avatarId.decode("utf-8") if isinstance(avatarId, bytes) else str(avatarId)
        return pb.IPerspective, Avatar(name), lambda: None


def read(path):
    with open(path, "rb") as f:
        return f.read()


def server(args):
    checker = checkers.InMemoryUsernamePasswordDatabaseDontUse(alice=b"secret")
    factory = pb.PBServerFactory(portal.Portal(Realm(), [checker]))
    identity = ssl.PrivateCertificate.loadPEM(read(args.cert) + b"\n" + read(args.key))
    if args.client_ca:
        options = identity.options(ssl.Certificate.loadPEM(read(args.client_ca)))
    else:
        options = identity.options()
    port = reactor.listenSSL(args.port, factory, options, interface="127.0.0.1")
    print("READY %d" % port.getHost().port, flush=True)
    threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
    reactor.run()


def stop_when_stdin_closes():
    sys.stdin.read()
    reactor.callFromThread(reactor.stop)


@defer.inlineCallbacks
def client_run(args):
    trust = ssl.Certificate.loadPEM(read(args.ca))
    mine = None
    if args.cert:
        mine = ssl.PrivateCertificate.loadPEM(read(args.cert) + b"\n" + read(args.key))
    options = ssl.optionsForClientTLS(args.hostname, trustRoot=trust, clientCertificate=mine)
    factory = pb.PBClientFactory()
    reactor.connectSSL("127.0.0.1", args.port, factory, options)
    if args.mode == "disconnect":
        root = yield factory.getRootObject()
        yield root.callRemote("echo", 1)
        gone = defer.Deferred()
        root.notifyOnDisconnect(lambda _: gone.callback(None))
        started = time.monotonic()
        factory.disconnect()
        yield gone
        print("DISCONNECTED %.1f" % (time.monotonic() - started,), flush=True)
        return
    if args.mode == "echo":
        root = yield factory.getRootObject()
        for value in [42, "h\u00e9llo", b"raw\x00", [1, (2, 3)], {"k": None}]:
            answer = yield root.callRemote("echo", value)
            print("ECHO %r" % (answer,), flush=True)
        return
    if args.mode == "password":
        avatar = yield factory.login(credentials.UsernamePassword(b"alice", b"secret"))
    else:
        root = yield factory.getRootObject()
        avatar = yield root.callRemote("loginCertificate", None)
    name = yield avatar.callRemote("whoami")
    print("WHOAMI %s" % (name,), flush=True)


def client(args):
    status = [0]

    def done(_):
        print("DONE", flush=True)

    def failed(failure):
        status[0] = 1
        print("ERROR %s" % (failure.getErrorMessage(),), flush=True)

    d = client_run(args)
    d.addCallbacks(done, failed)
    d.addBoth(lambda _: reactor.stop())
    reactor.callLater(20, lambda: reactor.running and reactor.stop())
    reactor.run()
    sys.exit(status[0])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["server", "client"])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--client-ca")
    parser.add_argument("--ca")
    parser.add_argument("--hostname", default="localhost")
    parser.add_argument(
        "--mode", choices=["echo", "password", "certificate", "disconnect"], default="echo")
    args = parser.parse_args()
    log.startLogging(sys.stderr, setStdout=False)
    if args.role == "server":
        server(args)
    else:
        client(args)


if __name__ == "__main__":
    main()
