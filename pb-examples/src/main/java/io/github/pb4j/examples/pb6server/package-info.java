/** Java twin of the seed's {@code pb6server.py}: two users, one avatar each. */
@NullMarked
package io.github.pb4j.examples.pb6server;

import org.jspecify.annotations.NullMarked;
