/**
 * Metrics of pb4j connections: {@link io.github.pb4j.metrics.MicrometerObserver} records a
 * server's or client's events with Micrometer, {@link io.github.pb4j.metrics.PrometheusEndpoint}
 * serves a Prometheus registry's meters over HTTP. Optional: pb4j's other modules do not need
 * Micrometer.
 */
@NullMarked
package io.github.pb4j.metrics;

import org.jspecify.annotations.NullMarked;
