package io.github.pb4j.cred;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/** Builds the ordered, unmodifiable sets that checkers return from credentialInterfaces(). */
final class CredentialInterfaces {
  private CredentialInterfaces() {}

  @SafeVarargs
  static Set<Class<? extends Credentials>> of(Class<? extends Credentials>... interfaces) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(interfaces)));
  }
}
