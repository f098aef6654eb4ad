package io.github.pb4j.metrics;

import static io.github.pb4j.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.Avatar;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.AvatarId;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.cred.LoginResult;
import io.github.pb4j.cred.LoginThrottle;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.Realm;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.netty.PbClient;
import io.github.pb4j.netty.PbServer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A server and clients recording into one Prometheus registry, read over HTTP. */
@Timeout(30)
class MicrometerObserverTest {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** The avatar of every user. */
  public static final class User implements Avatar {
    @Remote
    public String echo(String text) {
      return text;
    }

    @Remote
    public String boom() {
      throw new IllegalStateException("boom");
    }
  }

  private final Realm realm = new Realm() {
    @Override
    public CompletionStage<LoginResult<?>> requestAvatar(
        AvatarId id, @Nullable Object mind, Class<?>... interfaces) {
      return CompletableFuture.completedFuture(LoginResult.of(Avatar.class, new User()));
    }
  };

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  private <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  @Test
  void countsConnectionsCallsErrorsAndLoginsAndServesThemToPrometheus() throws Exception {
    Portal portal = Portal.builder().realm(realm)
        .checker(new InMemoryUsernamePasswordDatabaseDontUse().addUser("alice", "secret")).build();
    PbServer server = track(PbServer.builder().port(0).portal(portal, LoginThrottle.builder().build())
        .observer(MicrometerObserver.of(registry, Tags.of("side", "server"))).build().start());
    MicrometerObserver clientSide = MicrometerObserver.of(registry, Tags.of("side", "client"));

    PbClient alice = track(PbClient.builder().host("127.0.0.1").port(server.port())
        .observer(clientSide).build());
    RemoteReference avatar = await(alice.login(UsernamePassword.of("alice", "secret"), null));
    for (int i = 0; i < 3; i++) {
      assertThat(await(avatar.callRemote("echo", "hi"))).isEqualTo("hi");
    }
    assertThatThrownBy(() -> await(avatar.callRemote("boom"))).hasMessageContaining("boom");
    assertThatThrownBy(() -> await(avatar.callRemote("nosuch"))).hasMessageContaining("nosuch");

    PbClient mallory = track(PbClient.builder().host("127.0.0.1").port(server.port())
        .observer(clientSide).build());
    assertThatThrownBy(() -> await(mallory.login(UsernamePassword.of("alice", "guess"), null)))
        .hasMessageContaining("Unauthorized");

    try (PrometheusEndpoint endpoint =
        PrometheusEndpoint.start(registry, new InetSocketAddress("127.0.0.1", 0))) {
      String open = scrape(endpoint).body();
      assertThat(value(open, "pb_connections_open", "side=\"server\"")).isEqualTo(2);
      assertThat(value(open, "pb_references_exported", "side=\"server\"")).isPositive();

      alice.close();
      mallory.close();
      while (!server.connections().isEmpty()) {
        Thread.sleep(5);
      }
      HttpResponse<String> response = scrape(endpoint);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue(PrometheusEndpoint.CONTENT_TYPE);
      String body = response.body();

      assertThat(value(body, "pb_connections_open", "side=\"server\"")).isZero();
      assertThat(value(body, "pb_connections_opened_total", "side=\"server\"")).isEqualTo(2);
      assertThat(value(body, "pb_connections_closed_total", "side=\"server\"", "reason=\"closed_by_peer\""))
          .isEqualTo(2);
      assertThat(value(body, "pb_connections_closed_total", "side=\"client\"", "reason=\"closed_here\""))
          .isEqualTo(2);
      assertThat(value(body, "pb_logins_total", "side=\"server\"", "outcome=\"succeeded\"")).isEqualTo(1);
      assertThat(value(body, "pb_logins_total", "side=\"server\"", "outcome=\"refused\"")).isEqualTo(1);
      assertThat(value(body, "pb_logins_total", "side=\"server\"", "outcome=\"throttled\"")).isZero();
      // Each login is two calls (login, respond); then echo x3, boom, nosuch.
      assertThat(value(body, "pb_calls_received_total", "side=\"server\"")).isEqualTo(9);
      assertThat(value(body, "pb_calls_sent_total", "side=\"client\"")).isEqualTo(9);
      assertThat(value(body, "pb_calls_served_seconds_count", "side=\"server\"", "outcome=\"ok\""))
          .isEqualTo(6);
      assertThat(value(body, "pb_calls_served_seconds_count", "side=\"server\"", "outcome=\"failed\""))
          .isEqualTo(3);
      assertThat(body).contains("pb_calls_served_seconds_bucket{");
      assertThat(value(body, "pb_calls_answered_seconds_count", "side=\"client\"", "outcome=\"failed\""))
          .isEqualTo(3);
      assertThat(value(body, "pb_errors_total", "side=\"server\"", "kind=\"application\"")).isEqualTo(1);
      assertThat(value(body, "pb_errors_total", "side=\"server\"", "kind=\"bad_call\"")).isEqualTo(2);
      assertThat(value(body, "pb_errors_total", "side=\"client\"", "kind=\"remote_failure\"")).isEqualTo(3);
      assertThat(value(body, "pb_calls_pending", "side=\"client\"")).isZero();
      assertThat(value(body, "pb_references_exported", "side=\"server\"")).isZero();
      assertThat(value(body, "pb_received_bytes_total", "side=\"server\""))
          .isEqualTo(value(body, "pb_sent_bytes_total", "side=\"client\""))
          .isPositive();
      assertThat(value(body, "pb_handshakes_failed_total", "side=\"server\"", "reason=\"timeout\"")).isZero();
      assertThat(value(body, "pb_connections_refused_total", "side=\"server\"",
          "reason=\"max_connections_per_address\"")).isZero();
      assertThat(body).doesNotContain("secret").doesNotContain("guess");

      assertThat(http.send(request(endpoint, "/other").build(), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(404);
      assertThat(http.send(request(endpoint, PrometheusEndpoint.PATH)
          .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(405);
    }
  }

  @Test
  void countsHandshakeTimeoutsAndRefusals() throws Exception {
    PbServer server = track(PbServer.builder().port(0).root(new User()).maxConnections(1)
        .options(io.github.pb4j.BrokerOptions.builder().handshakeTimeout(Duration.ofMillis(200)).build())
        .observer(MicrometerObserver.of(registry)).build().start());
    try (java.net.Socket silent = new java.net.Socket("127.0.0.1", server.port())) {
      silent.setSoTimeout(10_000);
      // The first byte of the dialect offer: the silent client holds the one connection allowed.
      // (Accepted connections are admitted on their own event loops, in no fixed order, so the
      // second connection is opened only now.)
      assertThat(silent.getInputStream().read()).isNotEqualTo(-1);
      try (java.net.Socket refused = new java.net.Socket("127.0.0.1", server.port())) {
        refused.setSoTimeout(10_000);
        assertThat(refused.getInputStream().read()).isEqualTo(-1);
      }
      // The silent client is dropped after the handshake timeout: the rest of the offer, then the
      // end of the stream (a SocketTimeoutException after 10 s if it never came).
      silent.getInputStream().readAllBytes();
    }
    while (!server.connections().isEmpty()) {
      Thread.sleep(5);
    }
    try (PrometheusEndpoint endpoint =
        PrometheusEndpoint.start(registry, new InetSocketAddress("127.0.0.1", 0))) {
      String body = scrape(endpoint).body();
      assertThat(value(body, "pb_handshakes_failed_total", "reason=\"timeout\"")).isEqualTo(1);
      assertThat(value(body, "pb_connections_closed_total", "reason=\"handshake_timeout\"")).isEqualTo(1);
      assertThat(value(body, "pb_connections_refused_total", "reason=\"max_connections\"")).isEqualTo(1);
      assertThat(value(body, "pb_connections_opened_total")).isEqualTo(1);
    }
  }

  private HttpRequest.Builder request(PrometheusEndpoint endpoint, String path) {
    InetSocketAddress a = endpoint.address();
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + path))
        .timeout(Duration.ofSeconds(10));
  }

  private HttpResponse<String> scrape(PrometheusEndpoint endpoint) throws Exception {
    return http.send(request(endpoint, PrometheusEndpoint.PATH).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The value of the one sample of {@code name} whose labels include {@code labels}. */
  static double value(String body, String name, String... labels) {
    List<String> lines = body.lines()
        .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
        .filter(l -> Arrays.stream(labels).allMatch(l::contains))
        .toList();
    assertThat(lines).as("samples of %s %s", name, Arrays.toString(labels)).hasSize(1);
    String line = lines.get(0);
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }
}
