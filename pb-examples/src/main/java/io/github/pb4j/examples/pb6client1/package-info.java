/** Java twin of the seed's {@code pb6client1.py}: logs in as user1. */
@NullMarked
package io.github.pb4j.examples.pb6client1;

import org.jspecify.annotations.NullMarked;
