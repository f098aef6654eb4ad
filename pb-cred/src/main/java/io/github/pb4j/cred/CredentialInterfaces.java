package io.github.pb4j.cred;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

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
}
