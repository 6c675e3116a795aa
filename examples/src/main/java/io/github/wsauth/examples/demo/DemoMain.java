package io.github.wsauth.examples.demo;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the demo: the app on {@code http://localhost:8000} and the WebSocket servers on 8001 to 8006, bound to the
 * loopback address only. Ctrl-C stops every server. {@code --base-port=9000} moves all seven ports.
 */
public final class DemoMain {
  private DemoMain() {}

  /** Starts the demo and waits for Ctrl-C. */
  public static void main(String[] args) throws InterruptedException {
    DemoConfig.Builder config = DemoConfig.builder();
    for (String arg : args) {
      if (arg.startsWith("--base-port=")) {
        config.basePort(Integer.parseInt(arg.substring("--base-port=".length())));
      } else {
        System.err.println("usage: DemoMain [--base-port=8000]");
        System.exit(2);
      }
    }
    Demo demo;
    try {
      demo = Demo.start(config.build());
    } catch (RuntimeException e) {
      System.err.println("The demo could not start: " + e.getMessage());
      System.err.println("Is another demo running? Try --base-port=9000.");
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      demo.close();
      System.out.println("wsauth demo stopped.");
      stopped.countDown();
    }, "demo-shutdown"));
    System.out.println("wsauth demo running: open " + demo.appUri() + "  (Ctrl-C to stop)");
    for (AuthMethod m : AuthMethod.values()) {
      System.out.printf("  %-14s %s%n", m.id(), demo.serverUri(m));
    }
    System.out.flush();
    stopped.await();
  }
}
