/** Java twin of Twisted's {@code pbsimpleserver.py}: a root object that echoes. */
@NullMarked
package io.github.pb4j.examples.pbsimpleserver;

import org.jspecify.annotations.NullMarked;
