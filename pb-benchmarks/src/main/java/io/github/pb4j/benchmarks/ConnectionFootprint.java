package io.github.pb4j.benchmarks;

import io.github.pb4j.Broker;
import io.github.pb4j.PbLogin;
import io.github.pb4j.PortalRoot;
import io.github.pb4j.Referenceable;
import io.github.pb4j.Remote;
import io.github.pb4j.RemoteReference;
import io.github.pb4j.cred.InMemoryUsernamePasswordDatabaseDontUse;
import io.github.pb4j.cred.Portal;
import io.github.pb4j.cred.UsernamePassword;
import io.github.pb4j.examples.chat.ChatService;
import io.github.pb4j.netty.PbClient;
import io.github.pb4j.netty.PbServer;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.IoHandler;
import io.netty.channel.ServerChannel;
import io.netty.util.concurrent.EventExecutorGroup;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jol.vm.VM;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What one idle, logged-in chat connection keeps on the server, object by object: the objects
 * reachable from one server {@link Broker} and not from another's, sized by JOL. The walk stops at
 * what connections share (event loops and their I/O handlers, allocators, the server, the chat
 * service, the portal, threads, classes). Run with the JDK's internals open to reflection:
 *
 * <pre>
 * java --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.util=ALL-UNNAMED \
 *     --add-opens java.base/java.util.concurrent=ALL-UNNAMED --add-opens java.base/java.net=ALL-UNNAMED \
 *     --add-opens java.base/java.lang.ref=ALL-UNNAMED --add-opens java.base/java.util.concurrent.atomic=ALL-UNNAMED \
 *     --add-opens java.base/java.math=ALL-UNNAMED -Djdk.attach.allowAttachSelf=true \
 *     -cp pb-benchmarks/target/pb-benchmarks.jar io.github.pb4j.benchmarks.ConnectionFootprint
 * </pre>
 *
 * <p>Fields it cannot open are counted and reported; their objects are missing from the total.
 */
@Command(name = "ConnectionFootprint", mixinStandardHelpOptions = true,
    description = "Bytes of heap one idle logged-in chat connection keeps on the server.")
public final class ConnectionFootprint implements Runnable {
  @Option(names = "--details", description = "Lists every object, not only the parts.")
  boolean details;

  /** A client's mind: what the chat server calls with lines. */
  public static final class Mind implements Referenceable {
    @Remote
    public void print(String line) {}
  }

  /** The result of one walk: own bytes and objects by part, and fields that could not be read. */
  record Footprint(long bytes, long objects, Map<String, long[]> byPart, Set<String> closedFields) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new ConnectionFootprint()).execute(args));
  }

  @Override
  public void run() {
    try {
      report(measure(details), System.out);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts a chat server, logs two clients in, and walks their server connections. */
  static Footprint measure(boolean details) throws Exception {
    var checker = new InMemoryUsernamePasswordDatabaseDontUse();
    checker.addUser("user-0", "pw");
    checker.addUser("user-1", "pw");
    ChatService chat = new ChatService();
    List<PbClient> clients = new ArrayList<>();
    try (PbServer server = PbServer.builder().host("127.0.0.1").port(0)
        .rootFactory(PortalRoot.factory(chat.portal(checker))).build().start()) {
      for (int i = 0; i < 2; i++) {
        PbClient client = PbClient.builder().host("127.0.0.1").port(server.port()).build();
        clients.add(client);
        RemoteReference root = client.getRootObject().get(10, TimeUnit.SECONDS);
        RemoteReference avatar = PbLogin.login(root, UsernamePassword.of("user-" + i, "pw"), new Mind())
            .get(10, TimeUnit.SECONDS);
        // A round trip after the login: the server has read the client's release of the
        // challenger, so the connection is as it stays while idle.
        avatar.callRemote("groups").get(10, TimeUnit.SECONDS);
      }
      List<Broker> brokers = server.connections();
      if (brokers.size() != 2) {
        throw new IllegalStateException("expected 2 connections, found " + brokers.size());
      }
      Walk other = new Walk(brokers.get(1));
      Walk one = new Walk(brokers.get(0));
      return one.minus(other, details);
    } finally {
      for (PbClient c : clients) {
        c.close();
      }
    }
  }

  static void report(Footprint f, PrintStream out) {
    Map<String, long[]> parts = new TreeMap<>();
    f.byPart().forEach((key, sum) -> {
      long[] p = parts.computeIfAbsent(key.substring(0, key.indexOf(": ")), k -> new long[2]);
      p[0] += sum[0];
      p[1] += sum[1];
    });
    out.printf(Locale.ROOT, "%8s %7s  %s%n", "bytes", "objects", "part of the server's Broker");
    parts.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
        .forEach(e -> out.printf(Locale.ROOT, "%,8d %7d  %s%n", e.getValue()[1], e.getValue()[0], e.getKey()));
    out.println();
    out.printf(Locale.ROOT, "%8s %7s  %s%n", "bytes", "objects", "part: class");
    f.byPart().entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
        .forEach(e -> out.printf(Locale.ROOT, "%,8d %7d  %s%n", e.getValue()[1], e.getValue()[0], e.getKey()));
    out.printf(Locale.ROOT, "%,8d %7d  in all, one idle logged-in chat connection%n", f.bytes(), f.objects());
    if (!f.closedFields().isEmpty()) {
      out.printf(Locale.ROOT, "fields not read (open their packages with --add-opens): %s%n", f.closedFields());
    }
  }

  /** The objects reachable from one broker, stopping at what connections share. */
  private static final class Walk {
    final IdentityHashMap<Object, String> paths = new IdentityHashMap<>();
    final Set<String> closedFields = new TreeSet<>();

    Walk(Broker root) {
      ArrayDeque<Object> queue = new ArrayDeque<>();
      paths.put(root, "Broker");
      queue.add(root);
      while (!queue.isEmpty()) {
        Object o = queue.poll();
        if (shared(o) && o != root) {
          continue;
        }
        String path = paths.get(o);
        Class<?> c = o.getClass();
        if (c.isArray()) {
          if (!c.getComponentType().isPrimitive()) {
            for (Object e : (Object[]) o) {
              visit(e, path + "[]", queue);
            }
          }
          continue;
        }
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
          for (Field f : k.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
              continue;
            }
            if (!f.trySetAccessible()) {
              closedFields.add(k.getName() + "." + f.getName());
              continue;
            }
            try {
              visit(f.get(o), path + "." + f.getName(), queue);
            } catch (IllegalAccessException e) {
              closedFields.add(k.getName() + "." + f.getName());
            }
          }
        }
      }
    }

    private void visit(Object value, String path, ArrayDeque<Object> queue) {
      if (value != null && !paths.containsKey(value)) {
        paths.put(value, path);
        queue.add(value);
      }
    }

    /** Objects every connection reaches: not walked into, not counted. */
    private static boolean shared(Object o) {
      return o instanceof Thread || o instanceof ClassLoader || o instanceof Class
          || o instanceof EventExecutorGroup || o instanceof IoHandler || o instanceof ByteBufAllocator
          || o instanceof ServerChannel || o instanceof PbServer || o instanceof ChatService
          || o instanceof Portal || o instanceof org.slf4j.Logger
          || o.getClass().getName().startsWith("io.netty.buffer.");
    }

    Footprint minus(Walk other, boolean details) {
      Map<String, long[]> byPart = new TreeMap<>();
      long bytes = 0;
      long objects = 0;
      for (Map.Entry<Object, String> e : paths.entrySet()) {
        Object o = e.getKey();
        if (other.paths.containsKey(o) || shared(o)) {
          continue;
        }
        long size = VM.current().sizeOf(o);
        bytes += size;
        objects++;
        String key = (details ? e.getValue() : part(e.getValue())) + ": " + o.getClass().getSimpleName();
        long[] sum = byPart.computeIfAbsent(key, k -> new long[2]);
        sum[0]++;
        sum[1] += size;
      }
      Set<String> closed = new TreeSet<>(closedFields);
      closed.addAll(other.closedFields);
      return new Footprint(bytes, objects, byPart, closed);
    }

    /** The first two steps of a path: the broker's part the object belongs to. */
    private static String part(String path) {
      int first = path.indexOf('.');
      if (first < 0) {
        return path;
      }
      int second = path.indexOf('.', first + 1);
      return second < 0 ? path : path.substring(0, second);
    }
  }
}
