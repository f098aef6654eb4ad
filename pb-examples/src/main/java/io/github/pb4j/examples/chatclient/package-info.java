/** Java twin of the seed's {@code chatclient.py}: alice joins #NeedAFourth and talks. */
@NullMarked
package io.github.pb4j.examples.chatclient;

import org.jspecify.annotations.NullMarked;
