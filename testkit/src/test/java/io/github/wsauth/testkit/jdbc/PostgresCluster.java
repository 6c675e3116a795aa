package io.github.wsauth.testkit.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for the tests: {@code initdb} into a temporary directory, {@code pg_ctl start} on a
 * free port on 127.0.0.1, trust authentication, no fsync. The outage test stops and restarts it on the same port.
 * When the tests run as root, every PostgreSQL command runs as the {@code postgres} user through {@code runuser}
 * (PostgreSQL refuses to run as root). Removed at JVM exit, and also when the JVM dies without running its
 * shutdown hooks (killed; PIT's mutation-testing minions left eight running clusters per testkit run before): a
 * watchdog process waits for the end of a pipe only this JVM writes to, which the kernel closes however the JVM
 * ends, then stops the server and removes its directory.
 *
 * <p>The binaries are found in {@code $WSAUTH_PG_BIN}, else the newest {@code /usr/lib/postgresql/<version>/bin}
 * (Debian's layout, what {@code .ci/postgres.sh} installs), else on the {@code PATH}.
 */
final class PostgresCluster {
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  private final Path bin;
  private final Path dir;
  private final Path data;
  private final int port;
  private volatile boolean running;
  /** Held for the JVM's life: its stdin is the watchdog's pipe (see {@link #watch}). */
  private Process watchdog;

  private PostgresCluster(Path bin, Path dir, int port) {
    this.bin = bin;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
  }

  /** Where the PostgreSQL binaries are, if anywhere. */
  static Optional<Path> findBinaries() {
    String env = System.getenv("WSAUTH_PG_BIN");
    if (env != null && !env.isBlank()) {
      Path p = Paths.get(env);
      return Files.isExecutable(p.resolve("pg_ctl")) ? Optional.of(p) : Optional.empty();
    }
    Path debian = Paths.get("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        Optional<Path> newest = versions
            .filter(v -> Files.isExecutable(v.resolve("bin/initdb")) && Files.isExecutable(v.resolve("bin/pg_ctl")))
            .max(Comparator.comparingInt(PostgresCluster::majorVersion))
            .map(v -> v.resolve("bin"));
        if (newest.isPresent()) {
          return newest;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(java.io.File.pathSeparator)) {
        Path p = Paths.get(d);
        if (Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("pg_ctl"))) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  private static int majorVersion(Path versionDir) {
    try {
      return Integer.parseInt(versionDir.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Creates and starts a cluster with the binaries in {@code bin}. */
  static PostgresCluster start(Path bin) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("wsauth-pg-");
    PostgresCluster cluster = new PostgresCluster(bin, dir, freePort());
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::destroy, "wsauth-pg-cleanup"));
    if (ROOT) {
      UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(dir, postgres);
    }
    cluster.watchdog = watch(bin, dir);
    cluster.pg(List.of(bin.resolve("initdb").toString(), "-D", cluster.data.toString(), "-U", "postgres",
        "-A", "trust", "-E", "UTF8", "--no-sync"), 120);
    cluster.startServer();
    return cluster;
  }

  /**
   * Starts the process that removes the cluster in {@code dir} once this JVM is gone: it reads its stdin, a pipe
   * whose only writer is this JVM, to the end (the kernel closes the pipe when the JVM exits, however it exits),
   * then stops the server at once and deletes the directory. After a normal exit the shutdown hook has done both
   * already and the watchdog finds nothing to do.
   */
  static Process watch(Path bin, Path dir) throws IOException {
    String asPostgres = ROOT ? "runuser -u postgres -- " : "";
    String script = "cat >/dev/null; " + asPostgres + "\"$1\" -D \"$2\" -m immediate -w -t 30 stop; rm -rf \"$3\"";
    return new ProcessBuilder("sh", "-c", script, "wsauth-pg-watchdog", bin.resolve("pg_ctl").toString(),
        dir.resolve("data").toString(), dir.toString())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  int port() {
    return port;
  }

  /** The cluster's directory (data, socket, server log). */
  Path dir() {
    return dir;
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  String user() {
    return "postgres";
  }

  boolean isRunning() {
    return running;
  }

  /** Starts the server (again), on the same port and data; waits until it accepts connections. */
  synchronized void startServer() throws IOException, InterruptedException {
    String options = "-p " + port + " -k " + dir + " -h 127.0.0.1 -c fsync=off -c synchronous_commit=off"
        + " -c full_page_writes=off -c max_connections=200 -c shared_buffers=32MB";
    pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
        "-o", options, "-w", "-t", "60", "start"), 90);
    running = true;
  }

  /** Stops the server the way an operator would ({@code -m fast}: disconnects every client). */
  synchronized void stopServer() throws IOException, InterruptedException {
    pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop"), 90);
    running = false;
  }

  /** Stops the server at once and removes its files. */
  synchronized void destroy() {
    try {
      if (running) {
        pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"), 30);
        running = false;
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("could not stop the test PostgreSQL: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not remove " + dir + ": " + e);
    }
  }

  /** Runs a PostgreSQL command (as postgres when we are root) and fails with its output if it fails. */
  private void pg(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (ROOT) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(command);
    Path out = Files.createTempFile(dir, "cmd-", ".log"); // in the directory the watchdog removes
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", cmd));
      }
      if (p.exitValue() != 0) {
        String log = Files.readString(out, StandardCharsets.UTF_8);
        Path serverLog = dir.resolve("server.log");
        if (Files.isReadable(serverLog)) {
          log += "\n--- server.log ---\n" + Files.readString(serverLog, StandardCharsets.UTF_8);
        }
        throw new IOException("failed (" + p.exitValue() + "): " + String.join(" ", cmd) + "\n" + log);
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
