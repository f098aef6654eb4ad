"""Plumbing the Python twins of pb4j's examples share; the examples' own code stays in each script.

Every twin takes --host/--port (default 127.0.0.1:8800). A server logs to stderr, prints
"READY <port>" once listening (port 0 picks a free one) and exits when stdin closes.
"""

import argparse
import sys
import threading

from twisted.internet import reactor
from twisted.python import log


def arguments(description=None):
    """Parses --host and --port."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8800)
    return parser.parse_args()


def serve(factory, args):
    """Listens with `factory` on args.host/args.port, prints READY <port>, runs until stdin closes."""
    log.startLogging(sys.stderr, setStdout=False)
    port = reactor.listenTCP(args.port, factory, interface=args.host)
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
    reactor.connectTCP(args.host, args.port, factory)
    d = factory.login(credentials.UsernamePassword(username, password))
    d.addCallback(connected)
    d.addErrback(failed)
    d.addBoth(lambda _: reactor.stop())
    reactor.run()
    sys.exit(status[0])
