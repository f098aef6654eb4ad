/** Java twin of Twisted's {@code pbsimpleclient.py}: calls the echo server. */
@NullMarked
package io.github.pb4j.examples.pbsimpleclient;

import org.jspecify.annotations.NullMarked;
