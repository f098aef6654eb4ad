package io.github.pb4j.interop.cred;

import io.github.pb4j.interop.PythonScenarioClient;
import io.github.pb4j.interop.ScenarioClient;
import io.github.pb4j.interop.ScenarioServer;
import io.github.pb4j.netty.Tls;
import io.github.pb4j.testing.TestCertificates;
import io.github.pb4j.testing.TwistedPeer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cred conformance suite over TLS: Twisted's client ({@code cred_client.py --tls-ca}, with
 * Twisted's own TLS) against pb4j's TLS server, users in SQLite. Every scenario, logins, logouts,
 * refusals and dropped connections included, behaves over TLS exactly as over plain TCP.
 *
 * <p>Named {@code *Test}, not {@code *IT}: the second interop pass of {@code ./run-tests} runs
 * every {@code *IT} against the newest Twisted, in an environment that may lack pyOpenSSL.
 */
class TwistedClientJavaServerTlsCredTest extends AbstractCredConformanceIT {
  @TempDir static Path certDir;
  @TempDir Path directory;
  private TestCertificates certs;

  @Override
  ScenarioClient newClient() throws Exception {
    TwistedPeer.requireTwistedTls();
    return new PythonScenarioClient(
        "cred_client.py", List.of("--tls-ca", certs().caCert().toString()));
  }

  @Override
  ScenarioServer newServer(CheckerSet checkers) throws Exception {
    return JavaCredServer.startOnSqlite(
        directory, checkers, Tls.server(certs().serverCert(), certs().serverKey()));
  }

  private TestCertificates certs() {
    if (certs == null) {
      certs = TestCertificates.create(certDir);
    }
    return certs;
  }
}
