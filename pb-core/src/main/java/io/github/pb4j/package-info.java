/**
 * The Perspective Broker: remote references and calls, Twisted's flavours, and PB login over
 * cred. Java form of {@code twisted.spread.pb} and {@code twisted.spread.flavors}.
 *
 * <p>Transport-agnostic: a {@link io.github.pb4j.Broker} reads bytes handed to it and writes to a
 * {@link io.github.pb4j.MessageSink}; {@code pb-netty} connects it to sockets.
 */
@NullMarked
package io.github.pb4j;

import org.jspecify.annotations.NullMarked;
