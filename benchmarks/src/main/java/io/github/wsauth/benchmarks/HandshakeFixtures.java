package io.github.wsauth.benchmarks;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.TokenVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * What the handshake benchmarks share: an in-memory store, an issuer of single-use opaque tokens, the
 * authenticator for a credential kind, the upgrade requests the client sends (identical bytes for the baseline
 * server, which ignores the token), and the pinning of the fork to one CPU.
 *
 * <p>Why pin: client and server run in one JVM. Left free on a 2-vCPU machine, the scheduler's placement of the
 * client's and the server's threads decided the rate: forks of the same code settled at 13,000 or at 18,500
 * handshakes/s. Pinned to one CPU, a steady fork varies by about 5% from iteration to iteration, and the rate is
 * what one CPU does with client, server and kernel together: the cost wsauth adds shows in full. The JIT
 * compiles on both CPUs during the first warmup iterations; the last {@value #PINNED_WARMUPS} warmup
 * iterations and every measured one run pinned.
 */
final class HandshakeFixtures {
  static final String PATH = "/ws";
  /** Handshakes per benchmark invocation; the score is per handshake ({@code @OperationsPerInvocation}). */
  static final int HANDSHAKES = 256;

  /** Warmup iterations that already run pinned, so the measured ones start from a settled state. */
  static final int PINNED_WARMUPS = 3;

  private static boolean pinned;
  private int warmupsSeen;

  final Clock clock = Clock.systemUTC();
  final TokenPolicy policy = TokenPolicy.builder().singleUse().lifetime(Duration.ofMinutes(10)).build();
  final TokenStore store = TokenStore.inMemory(clock);
  final TokenIssuer issuer = TokenIssuer.opaque(store, policy, clock);
  final String credential;

  HandshakeFixtures(String credential) {
    if (!credential.equals("query") && !credential.equals("bearer")) {
      throw new IllegalArgumentException("credential must be query or bearer");
    }
    this.credential = credential;
  }

  HandshakeAuthenticator authenticator() {
    return HandshakeAuthenticator.builder()
        .extractor(credential.equals("query")
            ? CredentialExtractor.queryParameter("token") : CredentialExtractor.bearerHeader())
        .verifier(TokenVerifier.opaque(store, policy))
        .originPolicy(OriginPolicy.allowOnly("http://127.0.0.1"))
        .build();
  }

  /** {@code n} upgrade requests, each with a freshly issued single-use token. */
  byte[][] requests(int n) {
    byte[][] out = new byte[n][];
    for (int i = 0; i < n; i++) {
      String token = issuer.issue("alice").value();
      out[i] = credential.equals("query")
          ? HandshakeClient.upgradeRequest(PATH + "?token=" + token, "")
          : HandshakeClient.upgradeRequest(PATH, "Authorization: Bearer " + token + "\r\n");
    }
    return out;
  }

  /** Call from {@code @Setup(Level.Iteration)}: pins the fork for the last warmup and all measured iterations. */
  void beforeIteration(IterationParams iteration) {
    if (iteration.getType() == IterationType.WARMUP && ++warmupsSeen <= iteration.getCount() - PINNED_WARMUPS) {
      return;
    }
    pinToOneCpu();
  }

  /**
   * Pins every thread of this JVM to the last CPU it may use, once ({@code taskset -a}); threads started later
   * inherit the mask. {@code taskset -a} exits non-zero when a thread ends while it walks the list, so success is
   * judged by reading every thread's mask back, with up to three attempts. Without {@code taskset} or with one
   * CPU, says so and leaves the fork unpinned.
   */
  static synchronized void pinToOneCpu() {
    if (pinned) {
      return;
    }
    pinned = true;
    String cpu = lastAllowedCpu();
    if (cpu == null) {
      System.out.println("# wsauth: one CPU or no Cpus_allowed_list; the fork runs unpinned");
      return;
    }
    String pid = Long.toString(ProcessHandle.current().pid());
    int[] left = {-1, -1};
    for (int attempt = 1; attempt <= 3; attempt++) {
      try {
        Process p = new ProcessBuilder("taskset", "-a", "-c", "-p", cpu, pid)
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (IOException e) {
        System.out.println("# wsauth: no taskset (" + e.getMessage() + "); the fork runs unpinned");
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      left = threadsNotOn(cpu);
      if (left[0] == 0) {
        System.out.println("# wsauth: all " + left[1] + " threads of this fork pinned to CPU " + cpu);
        return;
      }
    }
    System.out.println("# wsauth: " + left[0] + " of " + left[1] + " threads could not be pinned; the fork runs"
        + " unpinned or partly pinned");
  }

  /** {threads whose allowed CPUs are not exactly {@code cpu}, threads}, read from {@code /proc/self/task}. */
  private static int[] threadsNotOn(String cpu) {
    int off = 0;
    int all = 0;
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : (Iterable<Path>) tasks::iterator) {
        String allowed = cpusAllowed(task.resolve("status"));
        if (allowed == null) {
          continue; // the thread ended
        }
        all++;
        if (!allowed.equals(cpu)) {
          off++;
        }
      }
    } catch (IOException e) {
      return new int[] {-1, -1};
    }
    return new int[] {off, all};
  }

  private static String cpusAllowed(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("Cpus_allowed_list:")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }

  /** The highest CPU in this process's {@code Cpus_allowed_list}, or null if there is only one or none. */
  private static String lastAllowedCpu() {
    String list = cpusAllowed(Path.of("/proc/self/status"));
    if (list == null || (!list.contains(",") && !list.contains("-"))) {
      return null;
    }
    String last = list.substring(Math.max(list.lastIndexOf(','), list.lastIndexOf('-')) + 1);
    return last.matches("[0-9]+") ? last : null;
  }
}
