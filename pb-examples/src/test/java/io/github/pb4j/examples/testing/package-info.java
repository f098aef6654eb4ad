/** Test support shared with pb-cli's tests: Python peers and awaited output lines. */
@NullMarked
package io.github.pb4j.examples.testing;

import org.jspecify.annotations.NullMarked;
