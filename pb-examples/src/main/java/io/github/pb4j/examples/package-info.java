/**
 * Runnable examples, each the Java twin of a Twisted Perspective Broker example (their Python twins
 * live in {@code pb-examples/src/test/python}), and the helpers they share: {@link
 * io.github.pb4j.examples.Examples} lists them for {@code ./pb example NAME}.
 */
@NullMarked
package io.github.pb4j.examples;

import org.jspecify.annotations.NullMarked;
