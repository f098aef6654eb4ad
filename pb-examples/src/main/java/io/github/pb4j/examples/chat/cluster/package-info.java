/**
 * The chat service over several servers sharing one PostgreSQL database ({@link
 * io.github.pb4j.examples.chat.cluster.ChatCluster}): membership, sessions and heartbeats in
 * tables, fan-out through {@code LISTEN/NOTIFY}; no server talks to another.
 */
@NullMarked
package io.github.pb4j.examples.chat.cluster;

import org.jspecify.annotations.NullMarked;
