/**
 * Banana, the byte encoding of s-expressions that Twisted's Perspective Broker speaks: an
 * incremental {@link io.github.pb4j.banana.BananaDecoder} and a {@link
 * io.github.pb4j.banana.BananaEncoder} over Netty {@code ByteBuf}s, usable without a pipeline.
 *
 * <p>Mirrors {@code twisted.spread.banana}.
 */
@NullMarked
package io.github.pb4j.banana;

import org.jspecify.annotations.NullMarked;
