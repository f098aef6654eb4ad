/**
 * Paging: moving large byte sequences and files through a collector reference in pages, so that
 * payloads above Banana's size limit travel without raising it. Java form of Twisted's {@code
 * twisted.spread.util} ({@code Pager}, {@code StringPager}, {@code FilePager}, {@code
 * CallbackPageCollector}, {@code getAllPages}); interoperable with it both ways.
 */
@NullMarked
package io.github.pb4j.paging;

import org.jspecify.annotations.NullMarked;
