/** The seed's clients written against typed proxies ({@link io.github.pb4j.RemoteProxy}). */
@NullMarked
package io.github.pb4j.examples.typedclients;

import org.jspecify.annotations.NullMarked;
