/**
 * Test fixtures for Banana, shared with other modules through the pb-banana test-jar: the Twisted
 * test vectors, a parser for their Python literals and a chunked feeder for decoders.
 */
@NullMarked
package io.github.pb4j.banana.testing;

import org.jspecify.annotations.NullMarked;
