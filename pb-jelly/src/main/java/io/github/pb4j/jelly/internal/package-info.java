/**
 * Machinery of Jelly: the one-pass reader of plain values, the coercion of received values to the
 * Java types of remote methods' parameters, and the hooks between them and pb-jelly. Not public
 * API; may change without notice. pb-core uses it.
 */
@NullMarked
package io.github.pb4j.jelly.internal;

import org.jspecify.annotations.NullMarked;
