/** Java twin of the seed's {@code pbAnonClient.py}: logs in both ways. */
@NullMarked
package io.github.pb4j.examples.pbanonclient;

import org.jspecify.annotations.NullMarked;
