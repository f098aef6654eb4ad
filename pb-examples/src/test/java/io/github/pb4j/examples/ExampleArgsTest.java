package io.github.pb4j.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.testing.TestCertificates;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples' command line, TLS options included. */
class ExampleArgsTest {
  @TempDir Path dir;

  @Test
  void parsesHostPortAndHelp() {
    ExampleArgs args = ExampleArgs.parse(new String[] {"--host=localhost", "--port", "0"}, true);

    assertThat(args).isEqualTo(new ExampleArgs("localhost", 0, false));
    assertThat(ExampleArgs.parse(new String[] {"-h"}, false).help()).isTrue();
    assertThatThrownBy(() -> ExampleArgs.parse(new String[] {"--port", "0"}, false))
        .hasMessage("--port: 0 (expected: 1..65535)");
  }

  @Test
  void serversAndClientsTakeTheirTlsOptions() {
    TestCertificates certs = TestCertificates.create(dir);

    ExampleArgs server = ExampleArgs.parse(new String[] {"--tls-cert", certs.serverCert().toString(),
        "--tls-key", certs.serverKey().toString(), "--tls-client-ca", certs.caCert().toString()}, true);
    ExampleArgs client = ExampleArgs.parse(new String[] {"--tls-ca=" + certs.caCert()}, false);
    ExampleArgs plain = ExampleArgs.parse(new String[0], false);

    assertThat(server.tls()).isNotNull().satisfies(c -> assertThat(c.isServer()).isTrue());
    assertThat(client.tls()).isNotNull().satisfies(c -> assertThat(c.isClient()).isTrue());
    assertThat(ExampleArgs.parse(new String[] {"--tls"}, false).tls()).isNotNull();
    assertThat(plain.tls()).isNull();
  }

  @Test
  void misplacedOrIncompleteTlsOptionsAreNamed() {
    assertThatThrownBy(() -> ExampleArgs.parse(new String[] {"--tls"}, true))
        .hasMessageStartingWith("--tls and --tls-ca are for clients");
    assertThatThrownBy(() -> ExampleArgs.parse(new String[] {"--tls-client-ca", "ca.pem"}, false))
        .hasMessageStartingWith("--tls-client-ca: for servers");
    assertThatThrownBy(() -> ExampleArgs.parse(new String[] {"--tls-key", "k.pem"}, true))
        .hasMessage("--tls-key: given alone (expected: --tls-cert FILE --tls-key FILE)");
    assertThatThrownBy(() -> ExampleArgs.parse(
            new String[] {"--tls-cert", "missing.pem", "--tls-key", "k.pem"}, true))
        .hasMessageContaining("missing.pem");
  }
}
