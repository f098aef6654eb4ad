/** The worker's machinery: the mind, builders, commands and the reconnecting session. Not API. */
@NullMarked
package io.github.pb4j.buildbot.internal;

import org.jspecify.annotations.NullMarked;
