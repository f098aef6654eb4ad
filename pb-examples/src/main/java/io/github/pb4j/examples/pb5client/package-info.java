/** Java twin of the seed's {@code pb5client.py}: logs in and calls its perspective. */
@NullMarked
package io.github.pb4j.examples.pb5client;

import org.jspecify.annotations.NullMarked;
