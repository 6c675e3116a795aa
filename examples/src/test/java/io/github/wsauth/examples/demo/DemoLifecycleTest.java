package io.github.wsauth.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Starting and stopping: every port is bound to loopback and released on close and on Ctrl-C (SIGTERM/SIGINT). */
class DemoLifecycleTest {

  @Test
  void close_releasesEveryPort() throws IOException {
    Demo demo = Demo.start(DemoConfig.builder().ephemeralPorts().build());
    List<Integer> ports = demo.ports();
    assertThat(ports).hasSize(7).doesNotHaveDuplicates().allMatch(p -> p > 0);
    for (int port : ports) {
      assertThat(canBind(port)).as("port %d is in use while the demo runs", port).isFalse();
    }
    demo.close();
    demo.close(); // idempotent
    for (int port : ports) {
      assertThat(canBind(port)).as("port %d is released", port).isTrue();
    }
  }

  @Test
  void start_portTaken_failsAndReleasesWhatItBound() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      DemoConfig config = DemoConfig.builder().ephemeralPorts().port(AuthMethod.BEARER, taken.getLocalPort()).build();
      assertThatThrownBy(() -> Demo.start(config)).isInstanceOf(RuntimeException.class);
    }
    // Nothing is left bound: a demo on fresh ports starts and stops fine.
    Demo.start(DemoConfig.builder().ephemeralPorts().build()).close();
  }

  /**
   * The real thing: {@code DemoMain} in its own JVM on a free range of seven ports, stopped with SIGINT as Ctrl-C
   * does; the shutdown hook must run and every port must be free again.
   *
   * <p>A background job of a non-interactive shell ({@code bash .ci/run &}, a CI agent's runner) starts with
   * SIGINT ignored, and its children inherit that: a JVM then installs no SIGINT handler and Ctrl-C would never
   * reach the demo. The demo is started with SIGINT back at its default then, as a terminal would start it.
   */
  @Test
  void main_stoppedLikeCtrlC_runsTheShutdownHookAndReleasesEveryPort() throws Exception {
    int base = freeRange();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(sigintIgnoredHere() ? List.of("env", "--default-signal=INT") : List.of());
    command.addAll(List.of(java, "-cp", System.getProperty("java.class.path"), DemoMain.class.getName(),
        "--base-port=" + base));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> output = new ArrayList<>();
    CompletableFuture<Void> running = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          synchronized (output) {
            output.add(line);
          }
          if (line.startsWith("wsauth demo running")) {
            running.complete(null);
          }
        }
      } catch (IOException e) {
        running.completeExceptionally(new UncheckedIOException(e));
      }
    });
    reader.start();
    try {
      running.get(60, TimeUnit.SECONDS);
      synchronized (output) {
        assertThat(output).anyMatch(l -> l.contains("open http://localhost:" + base + "/"));
      }
      for (int port = base; port < base + 7; port++) {
        assertThat(canBind(port)).as("port %d is in use while the demo runs", port).isFalse();
      }
      ctrlC(process);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        synchronized (output) {
          throw new AssertionError("the demo did not stop within 30 s of SIGINT; its output: " + output);
        }
      }
      reader.join(5000);
      synchronized (output) {
        assertThat(output).as("exit " + process.exitValue()).contains("wsauth demo stopped.");
      }
      for (int port = base; port < base + 7; port++) {
        assertThat(canBind(port)).as("port %d is released", port).isTrue();
      }
    } finally {
      process.destroyForcibly();
    }
  }

  /**
   * SIGINT, what Ctrl-C sends. Not {@code Process.destroy()}: it closes our end of the child's output, and we
   * want to read the hook's last line. Where there is no {@code kill}, SIGTERM through the process handle.
   */
  private static void ctrlC(Process process) throws Exception {
    Process kill;
    try {
      kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
    } catch (IOException noKill) {
      process.toHandle().destroy();
      return;
    }
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  /**
   * Whether this JVM runs with SIGINT ignored (inherited, as under a background job of a non-interactive shell),
   * from {@code /proc/self/status}: a child would inherit it. False where there is no {@code /proc}.
   */
  private static boolean sigintIgnoredHere() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return false;
    }
    for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring("SigIgn:".length()).trim(), 16) & (1L << (2 - 1))) != 0;
      }
    }
    return false;
  }

  private static int freeRange() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20000, 60000);
      boolean free = true;
      for (int p = base; p < base + 7 && free; p++) {
        free = canBind(p);
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no free range of 7 ports found");
  }

  private static boolean canBind(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
