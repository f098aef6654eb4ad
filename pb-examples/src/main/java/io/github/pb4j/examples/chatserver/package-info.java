/** Java twin of the seed's {@code chatserver.py}: the bridge club's chat server. */
@NullMarked
package io.github.pb4j.examples.chatserver;

import org.jspecify.annotations.NullMarked;
