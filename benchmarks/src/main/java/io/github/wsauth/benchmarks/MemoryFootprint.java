package io.github.wsauth.benchmarks;

import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.openjdk.jol.info.GraphLayout;

/**
 * Bytes retained per outstanding token by the in-memory store, at {@code --tokens} tokens (default 1,000,000,
 * the store's default maximum). Not a JMH benchmark: memory is a state, not a rate.
 *
 * <p>Method: force a full GC, read the used heap ({@link MemoryMXBean}), fill a fresh store through the opaque
 * issuer (the token strings are dropped, as a server drops them once handed out), force a full GC again and read
 * the used heap; the difference divided by the token count is the cost per token. Repeated {@code --runs} times;
 * the median is reported. Two variants: every token for one subject (the store's own overhead) and every token
 * for a distinct subject (adds the subject strings the store keeps alive). A {@link GraphLayout JOL} walk of a
 * smaller store cross-checks the figure and breaks it down by class.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.github.wsauth.benchmarks.MemoryFootprint [--tokens N] [--runs N]
 * [--jol-tokens N] [--out file.json]}
 */
public final class MemoryFootprint {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

  private MemoryFootprint() {}

  public static void main(String[] args) throws IOException {
    int tokens = 1_000_000;
    int runs = 5;
    int jolTokens = 100_000;
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--tokens": tokens = Integer.parseInt(args[++i]); break;
        case "--runs": runs = Integer.parseInt(args[++i]); break;
        case "--jol-tokens": jolTokens = Integer.parseInt(args[++i]); break;
        case "--out": out = Path.of(args[++i]); break;
        default: throw new IllegalArgumentException("unknown argument: " + args[i]);
      }
    }
    StringBuilder json = new StringBuilder();
    json.append("{\n  \"benchmark\": \"memory\",\n  \"tokens\": ").append(tokens)
        .append(",\n  \"runs\": ").append(runs)
        .append(",\n  \"jvm\": \"").append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.version")).append("\",\n  \"variants\": [\n");
    String[] variants = {"sameSubject", "distinctSubjects"};
    for (int v = 0; v < variants.length; v++) {
      boolean distinct = v == 1;
      double[] perToken = new double[runs];
      for (int r = 0; r < runs; r++) {
        perToken[r] = measure(tokens, distinct);
        System.out.printf(Locale.ROOT, "%s run %d: %.1f bytes/token%n", variants[v], r + 1, perToken[r]);
      }
      double median = median(perToken);
      System.out.printf(Locale.ROOT, "%s: median %.1f bytes/token at %d tokens%n", variants[v], median, tokens);
      json.append("    {\"name\": \"").append(variants[v]).append("\", \"bytesPerToken\": ")
          .append(String.format(Locale.ROOT, "%.1f", median)).append(", \"runs\": [");
      for (int r = 0; r < runs; r++) {
        json.append(r == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", perToken[r]));
      }
      json.append("]}").append(v + 1 < variants.length ? "," : "").append('\n');
    }
    json.append("  ],\n");
    appendJol(json, jolTokens);
    json.append("}\n");
    if (out != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, json, StandardCharsets.UTF_8);
      System.out.println("wrote " + out);
    }
  }

  private static double measure(int tokens, boolean distinctSubjects) {
    long before = usedAfterGc();
    TokenStore store = fill(tokens, distinctSubjects);
    long after = usedAfterGc();
    Reference.reachabilityFence(store);
    return (after - before) / (double) tokens;
  }

  private static TokenStore fill(int tokens, boolean distinctSubjects) {
    Clock clock = Clock.systemUTC();
    TokenStore store = TokenStore.inMemory(clock, Math.max(tokens, TokenStore.DEFAULT_MAX_TOKENS));
    // Long enough that nothing expires (and nothing is purged) while the store fills.
    TokenIssuer issuer = TokenIssuer.opaque(store, TokenPolicy.builder().lifetime(Duration.ofHours(1)).build(), clock);
    for (int i = 0; i < tokens; i++) {
      issuer.issue(distinctSubjects ? "user-" + i : "alice");
    }
    return store;
  }

  private static void appendJol(StringBuilder json, int tokens) {
    json.append("  \"jol\": ");
    try {
      TokenStore store = fill(tokens, false);
      GraphLayout layout = GraphLayout.parseInstance(store);
      double perToken = layout.totalSize() / (double) tokens;
      System.out.printf(Locale.ROOT, "JOL, %d tokens, same subject: %.1f bytes/token%n%s%n", tokens, perToken,
          layout.toFootprint());
      json.append("{\"tokens\": ").append(tokens).append(", \"bytesPerToken\": ")
          .append(String.format(Locale.ROOT, "%.1f", perToken)).append(", \"classes\": [");
      List<String> rows = new ArrayList<>();
      for (Class<?> c : layout.getClasses()) {
        long size = layout.getClassSizes().count(c);
        if (size * 100 >= layout.totalSize()) { // classes that hold at least 1% of the total
          rows.add(String.format(Locale.ROOT, "{\"class\": \"%s\", \"count\": %d, \"bytesPerToken\": %.1f}",
              c.getName(), layout.getClassCounts().count(c), size / (double) tokens));
        }
      }
      json.append(String.join(", ", rows)).append("]}\n");
    } catch (RuntimeException | LinkageError e) {
      // JOL needs deep reflection; report why the cross-check is missing rather than fail the measurement.
      System.out.println("JOL cross-check unavailable: " + e);
      json.append("null\n");
    }
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return MEMORY.getHeapMemoryUsage().getUsed();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
