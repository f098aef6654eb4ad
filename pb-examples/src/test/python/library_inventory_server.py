"""The Twisted service that docs/library.md's Java client calls: a small inventory, a pb.Root.

Usage: library_inventory_server.py [--host 127.0.0.1] [--port 8800]
Prints "READY <port>" once listening; exits when stdin closes.
"""

from twisted.spread import pb

import twin


class Inventory(pb.Root):
    def __init__(self):
        self.items = {}

    def remote_add(self, sku, name, count=1, tags=()):
        """Adds an item; returns how many items there are."""
        if sku in self.items:
            raise ValueError("%s is already in the inventory" % sku)
        self.items[sku] = {"name": name, "count": count, "tags": list(tags)}
        return len(self.items)

    def remote_lookup(self, sku):
        """Returns the item's dict, or None."""
        return self.items.get(sku)

    def remote_take(self, sku, n):
        """Takes n of an item; returns (how many are left, its name). KeyError if unknown."""
        item = self.items[sku]
        item["count"] -= n
        return (item["count"], item["name"])


def main():
    args = twin.arguments()
    twin.serve(pb.PBServerFactory(Inventory()), args)


if __name__ == "__main__":
    main()
