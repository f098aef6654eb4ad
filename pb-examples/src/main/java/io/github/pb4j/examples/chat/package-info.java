/** The chat service of the seed's last example, hardened: avatars per user, groups as viewables. */
@NullMarked
package io.github.pb4j.examples.chat;

import org.jspecify.annotations.NullMarked;
