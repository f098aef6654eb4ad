/**
 * Machinery of the Banana codec: the one-pass reader and scanner of whole expressions and the pb
 * dialect's vocabulary. Not public API; may change without notice. pb-jelly and pb-core use it.
 */
@NullMarked
package io.github.pb4j.banana.internal;

import org.jspecify.annotations.NullMarked;
