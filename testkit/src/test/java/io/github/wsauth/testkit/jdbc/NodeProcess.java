package io.github.wsauth.testkit.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A {@link WsNodeMain} in a separate JVM, on the test classpath. */
final class NodeProcess implements AutoCloseable {
  private final Process process;
  private final Path errors;
  private final int port;

  private NodeProcess(Process process, Path errors, int port) {
    this.process = process;
    this.errors = errors;
    this.port = port;
  }

  /** Launches a node and waits (at most 30 s) until it listens. */
  static NodeProcess launch(String name, PostgresCluster pg, String table) throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Path errors = Files.createTempFile("wsauth-node-" + name + "-", ".log");
    Process p = new ProcessBuilder(List.of(java, "-Xmx96m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), WsNodeMain.class.getName(),
        name, pg.jdbcUrl(), pg.user(), table))
        .redirectError(errors.toFile())
        .start();
    CompletableFuture<Integer> ready = CompletableFuture.supplyAsync(() -> {
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
          if (line.startsWith("READY ")) {
            return Integer.parseInt(line.substring(6).trim());
          }
        }
        return -1;
      } catch (IOException e) {
        return -1;
      }
    });
    int port;
    try {
      port = ready.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      port = -1;
    }
    if (port <= 0) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("node " + name + " did not start:\n" + Files.readString(errors));
    }
    return new NodeProcess(p, errors, port);
  }

  int port() {
    return port;
  }

  /** Kills the JVM without any shutdown (a crash, or {@code kill -9}). */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws IOException {
    try {
      if (process.isAlive()) {
        process.getOutputStream().close(); // the node exits when its stdin closes
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
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
