"""The Twisted client that logs in to docs/library.md's Java notes server (NotesServer).

Logs in as alice/wonderland, adds a note with a keyword argument, lists the notes, prints them.
Usage: library_notes_client.py [--host 127.0.0.1] [--port 8800]; exits 0 when done, 1 on a failure.
"""

import twin


def connected(account):
    d = account.callRemote("whoami")
    d.addCallback(lambda name: print("logged in as", name))
    d.addCallback(lambda _: account.callRemote("add", "buy milk", tags=["home", "today"]))
    d.addCallback(lambda count: print("notes:", count))
    d.addCallback(lambda _: account.callRemote("list"))

    def show(notes):
        for note in notes:
            print("note:", repr(note["text"]), note["tags"])

    d.addCallback(show)
    return d


if __name__ == "__main__":
    twin.login_and_run(b"alice", b"wonderland", connected)
