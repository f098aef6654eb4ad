/**
 * A Buildbot worker on pb4j: {@link io.github.pb4j.buildbot.BuildbotWorker} logs in to a stock
 * Buildbot master over Perspective Broker and runs its builds' commands. See docs/buildbot.md.
 */
@NullMarked
package io.github.pb4j.buildbot;

import org.jspecify.annotations.NullMarked;
