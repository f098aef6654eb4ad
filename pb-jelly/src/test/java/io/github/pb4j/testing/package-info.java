/** Test support shared by pb4j's modules through pb-core's test-jar: Python/Twisted peers. */
@NullMarked
package io.github.pb4j.testing;

import org.jspecify.annotations.NullMarked;
