package io.github.wsauth.testkit.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A node in a separate JVM, on the test class path: a {@link WsNodeMain}, a {@link RevocationNodeMain} or a
 * WebSocket node such as the examples module's {@code RegistryNodeMain}; its output lines. The one launcher of the
 * two-JVM tests (testkit's {@code TwoNodeTest} and {@code TwoJvmRevocationTest}, the examples'
 * {@code TwoJvmRegistryRevocationTest}).
 */
final class NodeProcess implements AutoCloseable {
  private final Process process;
  private final Path errors;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private int port;

  private NodeProcess(Process process, Path errors) {
    this.process = process;
    this.errors = errors;
    Thread reader = new Thread(() -> {
      try (BufferedReader out =
          new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "node-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Launches a {@link WsNodeMain} named {@code name} on {@code table} and waits (at most 30 s) until it listens. */
  static NodeProcess launch(String name, PostgresCluster pg, String table) throws Exception {
    return launch(WsNodeMain.class, name, List.of(name, pg.jdbcUrl(), pg.user(), table));
  }

  /** Launches a {@link RevocationNodeMain} named {@code name} (its database connections carry that name). */
  static NodeProcess launch(String name, PostgresCluster pg, String table, long minBackoffMillis)
      throws Exception {
    return launch(RevocationNodeMain.class, name,
        List.of(name, pg.jdbcUrl(), pg.user(), table, Long.toString(minBackoffMillis)));
  }

  /**
   * Launches {@code main} (a class on the test class path that prints {@code READY [<port>]} first) with {@code
   * args}; {@code name} labels its error log.
   */
  static NodeProcess launch(Class<?> main, String name, List<String> args) throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Path errors = Files.createTempFile("wsauth-node-" + name + "-", ".log");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx96m", "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectError(errors.toFile()).start();
    NodeProcess node = new NodeProcess(p, errors);
    String first = node.next(30_000);
    if (first == null || !first.startsWith("READY")) {
      String log = Files.readString(errors);
      node.close();
      throw new AssertionError("node " + name + " did not start (" + first + "):\n" + log);
    }
    node.port = first.length() > 6 ? Integer.parseInt(first.substring(6).trim()) : -1;
    return node;
  }

  /** The port a WebSocket node printed after {@code READY}; -1 if none. */
  int port() {
    return port;
  }

  /** Kills the JVM without any shutdown (a crash, or {@code kill -9}). */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /**
   * After a two-JVM test: starts {@code pg} again if the test stopped it, then closes {@code nodes} (null ones
   * skipped) in order, even if the restart failed.
   */
  static void restartAndClose(PostgresCluster pg, AutoCloseable... nodes) throws Exception {
    try {
      if (!pg.isRunning()) {
        pg.startServer();
      }
    } finally {
      for (AutoCloseable node : nodes) {
        if (node != null) {
          node.close();
        }
      }
    }
  }

  /** The next line the node printed, waiting at most {@code millis}; null if none. */
  String next(long millis) throws InterruptedException {
    return lines.poll(millis, TimeUnit.MILLISECONDS);
  }

  /** Lines printed and not yet taken. */
  List<String> pending() {
    return List.copyOf(lines);
  }

  @Override
  public void close() throws IOException {
    try {
      if (process.isAlive()) {
        process.getOutputStream().close(); // the node exits when its stdin closes
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      Files.deleteIfExists(errors);
    }
  }
}
