"""Python twin of pb4j's pb5client: the seed's pb5client.py in Python 3.

Changes from the seed: username and password are bytes (Twisted 22.4 requires it); --host/--port;
exits once the call is answered (0), or on a failure (1).

Usage: pb5client.py [--host 127.0.0.1] [--port 8800]
"""

import twin


def connected(perspective):
    print("got perspective ref:", perspective)
    print("asking it to foo(12)")
    return perspective.callRemote("foo", 12)


if __name__ == "__main__":
    twin.login_and_run(b"user1", b"pass1", connected)
