package io.github.wsauth.benchmarks;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The PostgreSQL the JDBC benchmark talks to: the server named by {@code WSAUTH_BENCH_PG_URL} (with {@code
 * WSAUTH_BENCH_PG_USER}, {@code WSAUTH_BENCH_PG_PASSWORD}) if set, else a throwaway cluster started from local
 * binaries the way the JDBC store's tests do it ({@code initdb} into a temporary directory, {@code pg_ctl} on a
 * free port on 127.0.0.1, trust authentication, {@code fsync=off}; as the {@code postgres} user through {@code
 * runuser} when running as root), removed when the JVM exits. Binaries are looked up in {@code $WSAUTH_PG_BIN},
 * the newest {@code /usr/lib/postgresql/<version>/bin}, then the {@code PATH}; {@code .ci/postgres.sh} installs
 * them.
 */
final class BenchmarkPostgres {
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  final String jdbcUrl;
  final String user;
  final String password;
  final String description;
  private final Path bin;
  private final Path dir;

  private BenchmarkPostgres(String jdbcUrl, String user, String password, String description, Path bin, Path dir) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.description = description;
    this.bin = bin;
    this.dir = dir;
  }

  /** Connects to the configured server or starts a throwaway one; fails with a clear message if neither is possible. */
  static BenchmarkPostgres obtain() throws IOException, InterruptedException {
    String url = System.getenv("WSAUTH_BENCH_PG_URL");
    if (url != null && !url.isBlank()) {
      String user = System.getenv().getOrDefault("WSAUTH_BENCH_PG_USER", "postgres");
      return new BenchmarkPostgres(url, user, System.getenv("WSAUTH_BENCH_PG_PASSWORD"), "configured server",
          null, null);
    }
    Path bin = findBinaries().orElseThrow(() -> new IllegalStateException(
        "no PostgreSQL for the JDBC benchmark: set WSAUTH_BENCH_PG_URL, or install the binaries"
            + " (.ci/postgres.sh, or apt-get install postgresql)"));
    Path dir = Files.createTempDirectory("wsauth-bench-pg-");
    int port = freePort();
    BenchmarkPostgres pg = new BenchmarkPostgres("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres",
        null, "throwaway cluster from " + bin, bin, dir);
    Runtime.getRuntime().addShutdownHook(new Thread(pg::destroy, "wsauth-bench-pg-cleanup"));
    if (ROOT) {
      Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
    }
    Path data = dir.resolve("data");
    pg.run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
        "-E", "UTF8", "--no-sync"), 120);
    String options = "-p " + port + " -k " + dir + " -h 127.0.0.1 -c fsync=off -c synchronous_commit=off"
        + " -c full_page_writes=off -c shared_buffers=64MB";
    pg.run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("server.log").toString(),
        "-o", options, "-w", "-t", "60", "start"), 90);
    return pg;
  }

  /** Where PostgreSQL binaries are, if anywhere. */
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
            .max(Comparator.comparingInt(BenchmarkPostgres::majorVersion))
            .map(v -> v.resolve("bin"));
        if (newest.isPresent()) {
          return newest;
        }
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(File.pathSeparator)) {
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

  /** Stops a throwaway cluster at once and removes its files; nothing for a configured server. */
  synchronized void destroy() {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try {
      run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w",
          "stop"), 30);
    } catch (IOException | RuntimeException e) {
      System.err.println("could not stop the benchmark PostgreSQL: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not remove " + dir + ": " + e);
    }
  }

  private void run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (ROOT) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(command);
    Path out = Files.createTempFile("wsauth-bench-pg-", ".log");
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", cmd));
      }
      if (p.exitValue() != 0) {
        throw new IOException("failed (" + p.exitValue() + "): " + String.join(" ", cmd) + "\n"
            + Files.readString(out, StandardCharsets.UTF_8));
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
