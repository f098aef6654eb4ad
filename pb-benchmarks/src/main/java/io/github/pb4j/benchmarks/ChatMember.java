package io.github.pb4j.benchmarks;

import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import org.jspecify.annotations.Nullable;

/**
 * One chat client of {@link ChatLoad}: its mind receives the group's lines and checks that every
 * message of every sender of its group arrives exactly once, in the order sent.
 *
 * <p>Lines sent by the load read {@code s=<sender> n=<seq> t=<nanoTime>}; the server delivers them
 * as {@code <load-i> says: s=... n=... t=...}. A line starting with {@code * } is the pb4j chat
 * server's notice of messages it dropped for a client that did not keep up.
 *
 * <p><em>Confined:</em> the mind is called on its connection's event loop only; counts are read
 * by the load's thread through {@link ChatTally}.
 */
final class ChatMember implements Referenceable {
  final int index;
  final int group;
  private final int[] lastSeq; // Per sender's position in the group.
  private final int groups;
  private final ChatTally tally;
  volatile @Nullable RemoteReference perspective;
  volatile @Nullable RemoteReference groupView;
  int sent; // Confined to the load's sender thread.

  ChatMember(int index, int groups, int groupSize, ChatTally tally) {
    this.index = index;
    this.group = index % groups;
    this.groups = groups;
    this.lastSeq = new int[groupSize];
    java.util.Arrays.fill(lastSeq, -1);
    this.tally = tally;
  }

  /** Twisted's {@code remote_print}: one delivered line. */
  @Remote
  public void print(String line) {
    long now = System.nanoTime();
    int says = line.indexOf("says: s=");
    if (says < 0) {
      tally.notice(line);
      return;
    }
    int n = line.indexOf(" n=", says);
    int t = line.indexOf(" t=", n + 1);
    int sender = Integer.parseInt(line, says + 8, n, 10);
    int seq = Integer.parseInt(line, n + 3, t, 10);
    long sentAt = Long.parseLong(line, t + 3, line.length(), 10);
    int slot = sender / groups;
    int last = lastSeq[slot];
    if (seq <= last) {
      tally.duplicateOrReordered();
      return;
    }
    if (seq > last + 1) {
      tally.gap(seq - last - 1);
    }
    lastSeq[slot] = seq;
    tally.delivered(now - sentAt);
  }

  /** The line this member sends as its {@code seq}th message. */
  String line(int seq) {
    return "s=" + index + " n=" + seq + " t=" + System.nanoTime();
  }
}
