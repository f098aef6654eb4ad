/** Java twin of the seed's {@code pbAnonServer.py}: named and anonymous logins. */
@NullMarked
package io.github.pb4j.examples.pbanonserver;

import org.jspecify.annotations.NullMarked;
