/**
 * Test fixtures shared through pb-jelly's test-jar: Jelly codecs and value generators, graph
 * assertions and a parser for the Python literals of the test vectors.
 */
@NullMarked
package io.github.pb4j.jelly.testing;

import org.jspecify.annotations.NullMarked;
