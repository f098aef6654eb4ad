package io.github.pb4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Entries by luid, for the per-connection tables ({@link ExportTable}, {@link ImportTable}). Most
 * connections hold one entry or none (a login's avatar, its mind), so the first entry is held in a
 * field, the map is made for a second, and dropped when one is left. A base class rather than a
 * field of the tables, so that the common case costs no object of its own.
 *
 * <p><em>Not thread-safe;</em> confined to the connection's executor.
 */
abstract class LuidTable<E> {
  /** The only entry while there is one; null once {@link #many} holds them. */
  private @Nullable E single;
  private @Nullable Map<Integer, E> many;

  /** Returns the luid {@code entry} is held under. */
  abstract int luid(E entry);

  /** Returns the entry held for {@code luid}, or null. */
  final @Nullable E entry(int luid) {
    if (many != null) {
      return many.get(luid);
    }
    return single != null && luid(single) == luid ? single : null;
  }

  /** Returns the entry while it is the only one, else null (none, or several). */
  final @Nullable E onlyEntry() {
    return single;
  }

  /** Holds {@code entry}, in place of the entry held for its luid if there is one. */
  final void putEntry(E entry) {
    int luid = luid(entry);
    if (many == null) {
      if (single == null || luid(single) == luid) {
        single = entry;
        return;
      }
      many = new HashMap<>();
      many.put(luid(single), single);
      single = null;
    }
    many.put(luid, entry);
  }

  /** Forgets {@code entry} if it is the one held for its luid. */
  final void removeEntry(E entry) {
    if (many != null) {
      int luid = luid(entry);
      if (many.get(luid) == entry) {
        many.remove(luid);
        if (many.size() == 1) { // back to one: a login's challenger goes, its avatar stays
          single = many.values().iterator().next();
          many = null;
        }
      }
    } else if (single == entry) {
      single = null;
    }
  }

  /** Returns the number of entries. */
  final int entries() {
    return many != null ? many.size() : single != null ? 1 : 0;
  }

  /** Forgets every entry; returns them, in no particular order. */
  final List<E> removeAll() {
    List<E> all = many != null ? new ArrayList<>(many.values())
        : single != null ? List.of(single) : List.of();
    many = null;
    single = null;
    return all;
  }
}
