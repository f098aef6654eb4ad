/**
 * JMH benchmarks of the Banana codec, Jelly and {@code callRemote}, and {@link
 * io.github.pb4j.benchmarks.LoadTool}, a two-process loopback load generator. How to run them and
 * the measured numbers: {@code docs/benchmarks.md}.
 */
@NullMarked
package io.github.pb4j.benchmarks;

import org.jspecify.annotations.NullMarked;
