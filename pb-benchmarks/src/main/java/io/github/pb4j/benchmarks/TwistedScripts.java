package io.github.pb4j.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The Python programs of the Twisted scenarios, shipped in the benchmarks jar and written to a
 * temporary directory (deleted when this JVM exits) so that the tools run from any directory.
 *
 * <p><em>Thread-safe.</em>
 */
final class TwistedScripts {
  static final String ECHO_SERVER = "twisted_echo_server.py";
  static final String ECHO_CLIENT = "twisted_echo_client.py";
  static final String LOGIN_CLIENT = "twisted_login_client.py";

  private static Path directory;

  private TwistedScripts() {}

  /** Returns the path of the script {@code name}, written out on first use. */
  static synchronized Path path(String name) {
    try {
      if (directory == null) {
        directory = Files.createTempDirectory("pb4j-twisted-");
        directory.toFile().deleteOnExit();
      }
      Path script = directory.resolve(name);
      if (!Files.exists(script)) {
        try (InputStream in = TwistedScripts.class.getResourceAsStream(name)) {
          if (in == null) {
            throw new IllegalStateException("not in the jar: " + name);
          }
          Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        script.toFile().deleteOnExit();
      }
      return script;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + name, e);
    }
  }
}
