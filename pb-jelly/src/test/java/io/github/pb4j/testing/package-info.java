/**
 * Test support shared by pb4j's modules through pb-jelly's test-jar: the Python/Twisted peer
 * harness and awaited output lines.
 */
@NullMarked
package io.github.pb4j.testing;

import org.jspecify.annotations.NullMarked;
