/** Not public API; may change without notice. */
@NullMarked
package io.github.pb4j.internal;

import org.jspecify.annotations.NullMarked;
