/** Java twin of the seed's {@code pb5server.py}: one avatar per login. */
@NullMarked
package io.github.pb4j.examples.pb5server;

import org.jspecify.annotations.NullMarked;
