/**
 * Test support shared by pb4j's modules through pb-jelly's test-jar: the Python/Twisted peer
 * harness and awaited output lines. {@code Futures}, in this package too, comes with pb-cred's
 * test-jar.
 */
@NullMarked
package io.github.pb4j.testing;

import org.jspecify.annotations.NullMarked;
