/** Machinery shared by pb4j's cred modules; not API. */
@NullMarked
package io.github.pb4j.cred.internal;

import org.jspecify.annotations.NullMarked;
