"""Python twin of pb4j's pbanonclient: the seed's pbAnonClient.py in Python 3.

Logs in anonymously and with username/password on one connection and calls foo(13) through
each perspective. Changes from the seed: username and password are bytes; Twisted's log goes to
stderr; --host/--port; exits 1 if either login or call failed.

Usage: pbanonclient.py [--host 127.0.0.1] [--port 8800]
"""

import sys

from twisted.cred.credentials import Anonymous, UsernamePassword
from twisted.internet import reactor
from twisted.internet.defer import gatherResults
from twisted.python.log import err, startLogging
from twisted.spread.pb import PBClientFactory

import twin

status = [0]


def error(why, msg):
    err(why, msg)
    status[0] = 1


def connected(perspective):
    print("got perspective1 ref:", perspective)
    print("asking it to foo(13)")
    return perspective.callRemote("foo", 13)


def main():
    args = twin.arguments()
    startLogging(sys.stderr, setStdout=False)
    factory = PBClientFactory()
    twin.connect(factory, args)

    anonymousLogin = factory.login(Anonymous())
    anonymousLogin.addCallback(connected)
    anonymousLogin.addErrback(error, "Anonymous login failed")

    usernameLogin = factory.login(UsernamePassword(b"user1", b"pass1"))
    usernameLogin.addCallback(connected)
    usernameLogin.addErrback(error, "Username/password login failed")

    bothDeferreds = gatherResults([anonymousLogin, usernameLogin])
    bothDeferreds.addBoth(lambda _: reactor.stop())
    reactor.run()
    sys.exit(status[0])


if __name__ == "__main__":
    main()
