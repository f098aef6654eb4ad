package io.github.pb4j.cred;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Builds the ordered, unmodifiable sets that checkers return from credentialInterfaces(). */
final class CredentialInterfaces {
  private CredentialInterfaces() {}

  @SafeVarargs
  static Set<Class<? extends Credentials>> of(Class<? extends Credentials>... interfaces) {
    var set = new LinkedHashSet<Class<? extends Credentials>>();
    for (Class<? extends Credentials> iface : interfaces) {
      set.add(iface);
    }
    return Collections.unmodifiableSet(set);
  }

  /** Returns the simple names of {@code interfaces}, for messages. */
  static String names(Set<Class<? extends Credentials>> interfaces) {
    return interfaces.stream().map(Class::getSimpleName).collect(Collectors.joining(", "));
  }
}
