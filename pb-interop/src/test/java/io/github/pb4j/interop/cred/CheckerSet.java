package io.github.pb4j.interop.cred;

import java.util.List;

/**
 * The checkers a scenario's server registers, in order, as Twisted's {@code NewCredTests} register
 * them per test. The names are {@code cred_server.py}'s arguments.
 */
enum CheckerSet {
  /** Username and password only. */
  PASSWORD("password"),
  /** Anonymous access only. */
  ANONYMOUS("anonymous"),
  /** Anonymous access first, then username and password. */
  ANONYMOUS_AND_PASSWORD("anonymous", "password");

  private final List<String> names;

  CheckerSet(String... names) {
    this.names = List.of(names);
  }

  List<String> names() {
    return names;
  }

  boolean hasPassword() {
    return names.contains("password");
  }

  boolean hasAnonymous() {
    return names.contains("anonymous");
  }
}
