/**
 * The chat service of the seed's last example, hardened: an avatar per session, groups as
 * viewables, text neutralised for display ({@link io.github.pb4j.examples.chat.ChatText}), a
 * bounded queue per session.
 */
@NullMarked
package io.github.pb4j.examples.chat;

import org.jspecify.annotations.NullMarked;
