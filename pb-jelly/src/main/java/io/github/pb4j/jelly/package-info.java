/**
 * Jelly: Java object graphs to and from the s-expressions of Twisted's {@code
 * twisted.spread.jelly}, with Python's types kept distinct (bytes vs text, list vs tuple, set vs
 * frozenset) and shared or cyclic structure preserved.
 *
 * <p>Safe by default: nothing is ever instantiated from a class name read from the wire; copyable
 * types map to Java types only through an explicit {@link io.github.pb4j.jelly.JellyRegistry}. The
 * data model is documented in {@code docs/jelly-data-model.md}.
 */
@NullMarked
package io.github.pb4j.jelly;

import org.jspecify.annotations.NullMarked;
