"""Plumbing the Python twins of pb4j's examples share; the examples' own code stays in each script.

Every twin takes --host/--port (default 127.0.0.1:8800) and the TLS options of pb4j's examples
(Twisted's own TLS, which needs pyOpenSSL): a server's --tls-cert/--tls-key (PEM) and
--tls-client-ca, a client's --tls, --tls-ca (default: the system's CAs) and --tls-cert/--tls-key.
A client checks that the server's certificate names --host. A server logs to stderr, prints
"READY <port>" once listening (port 0 picks a free one) and exits when stdin closes.
"""

import argparse
import sys
import threading

from twisted.internet import reactor
from twisted.python import log


def arguments(description=None):
    """Parses --host, --port and the TLS options."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8800)
    parser.add_argument("--tls", action="store_true")
    parser.add_argument("--tls-ca")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--tls-client-ca")
    return parser.parse_args()


def _read(path):
    with open(path, "rb") as f:
        return f.read()


def listen(factory, args):
    """Listens with `factory` on args.host/args.port, over TLS with --tls-cert/--tls-key."""
    if not args.tls_cert:
        return reactor.listenTCP(args.port, factory, interface=args.host)
    from twisted.internet import ssl

    identity = ssl.PrivateCertificate.loadPEM(_read(args.tls_cert) + b"\n" + _read(args.tls_key))
    if args.tls_client_ca:
        options = identity.options(ssl.Certificate.loadPEM(_read(args.tls_client_ca)))
    else:
        options = identity.options()
    return reactor.listenSSL(args.port, factory, options, interface=args.host)


def connect(factory, args):
    """Connects `factory` to args.host/args.port, over TLS with --tls, --tls-ca or --tls-cert."""
    if not (args.tls or args.tls_ca or args.tls_cert):
        return reactor.connectTCP(args.host, args.port, factory)
    from twisted.internet import ssl

    trust = ssl.Certificate.loadPEM(_read(args.tls_ca)) if args.tls_ca else None
    mine = None
    if args.tls_cert:
        mine = ssl.PrivateCertificate.loadPEM(_read(args.tls_cert) + b"\n" + _read(args.tls_key))
    options = ssl.optionsForClientTLS(args.host, trustRoot=trust, clientCertificate=mine)
    return reactor.connectSSL(args.host, args.port, factory, options)


def serve(factory, args):
    """Listens with `factory` on args.host/args.port, prints READY <port>, runs until stdin closes."""
    log.startLogging(sys.stderr, setStdout=False)
    port = listen(factory, args)
    print("READY %d" % port.getHost().port, flush=True)
    threading.Thread(target=_stop_when_stdin_closes, daemon=True).start()
    reactor.run()


def _stop_when_stdin_closes():
    sys.stdin.read()
    reactor.callFromThread(reactor.stop)


def login_and_run(username, password, connected):
    """Logs in with --host/--port, runs `connected(perspective)`, stops when it is done.

    Exits 0 once the call chain is answered, 1 on a failure (printed to stderr).
    """
    from twisted.cred import credentials
    from twisted.spread import pb

    args = arguments()
    status = [0]

    def failed(reason):
        print("error:", reason.getErrorMessage(), file=sys.stderr)
        status[0] = 1

    factory = pb.PBClientFactory()
    connect(factory, args)
    d = factory.login(credentials.UsernamePassword(username, password))
    d.addCallback(connected)
    d.addErrback(failed)
    d.addBoth(lambda _: reactor.stop())
    reactor.run()
    sys.exit(status[0])
