/** Java twin of the seed's {@code pb6client2.py}: logs in as user2. */
@NullMarked
package io.github.pb4j.examples.pb6client2;

import org.jspecify.annotations.NullMarked;
