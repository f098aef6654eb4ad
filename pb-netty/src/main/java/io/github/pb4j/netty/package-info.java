/**
 * Netty transport for the Perspective Broker: {@link io.github.pb4j.netty.PbServer}, {@link
 * io.github.pb4j.netty.PbClient} and the {@link io.github.pb4j.netty.BrokerHandler} that joins a
 * channel to its {@link io.github.pb4j.Broker}. Java form of Twisted's {@code PBServerFactory} and
 * {@code PBClientFactory}; {@link io.github.pb4j.netty.PbSession}, a login that reconnects and
 * logs in again, is what Twisted programs build from {@code ReconnectingClientFactory}.
 */
@NullMarked
package io.github.pb4j.netty;

import org.jspecify.annotations.NullMarked;
