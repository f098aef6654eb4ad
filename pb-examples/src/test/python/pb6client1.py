"""Python twin of pb4j's pb6client1: the seed's pb6client1.py in Python 3.

Changes from the seed: username and password are bytes (Twisted 22.4 requires it); --host/--port;
exits once the call is answered (0), or on a failure (1).

Usage: pb6client1.py [--host 127.0.0.1] [--port 8800]
"""

import twin


def connected(perspective):
    print("got perspective1 ref:", perspective)
    print("asking it to foo(13)")
    return perspective.callRemote("foo", 13)


if __name__ == "__main__":
    twin.login_and_run(b"user1", b"pass1", connected)
