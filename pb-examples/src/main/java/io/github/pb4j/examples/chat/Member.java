package io.github.pb4j.examples.chat;

import java.util.ArrayList;
import java.util.List;

/**
 * A user who is online: one per username, holding each of the user's sessions. Groups count
 * members, so two sessions of one user are one member and both receive what is sent to her.
 *
 * <p><em>Thread-safe</em> under the service's lock, which guards {@link #sessions}.
 */
final class Member {
  final String name;

  /** The name as other users see it, by {@link ChatText}'s rule. */
  final String shownName;

  /** The user's sessions, in order of login. */
  final List<User> sessions = new ArrayList<>(2); // Guarded by the service's lock.

  Member(String name) {
    this.name = name;
    this.shownName = ChatText.neutralise(name);
  }

  @Override
  public String toString() {
    return "Member[" + shownName + "]";
  }
}
