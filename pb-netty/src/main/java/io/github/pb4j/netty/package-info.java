/**
 * Netty transport for the Perspective Broker: {@link io.github.pb4j.netty.PbServer}, {@link
 * io.github.pb4j.netty.PbClient} and the {@link io.github.pb4j.netty.BrokerHandler} that joins a
 * channel to its {@link io.github.pb4j.Broker}. Java form of Twisted's {@code PBServerFactory} and
 * {@code PBClientFactory}.
 */
@NullMarked
package io.github.pb4j.netty;

import org.jspecify.annotations.NullMarked;
