package io.github.wsauth.benchmarks;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.Extraction;
import io.github.wsauth.UpgradeRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The stock credential extractors on a realistic upgrade request (browser-like headers, a 43-character opaque
 * token): time and bytes allocated per extraction. Run with {@code -prof gc} for {@code gc.alloc.rate.norm}.
 *
 * <p>Each request is built once in setup, as an adapter builds it once per handshake; {@code buildRequest}
 * measures that building step on its own (headers, query and cookie parsing), for context. Extraction must
 * stay under 1 µs and 1 KB.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class ExtractorBenchmark {
  static final String TOKEN = "k3Jt0x8bqW5yZ2lS-vN4cA7dF1hG6jL9mP0rT3uV5w_";

  private final CredentialExtractor bearer = CredentialExtractor.bearerHeader();
  private final CredentialExtractor basic = CredentialExtractor.basicHeader();
  private final CredentialExtractor query = CredentialExtractor.queryParameter("token");
  private final CredentialExtractor cookie = CredentialExtractor.cookie("ws_token");
  private final CredentialExtractor subprotocol = CredentialExtractor.subprotocol();
  private final CredentialExtractor chain = CredentialExtractor.firstOf(bearer, query, cookie, subprotocol);

  private UpgradeRequest bearerRequest;
  private UpgradeRequest basicRequest;
  private UpgradeRequest queryRequest;
  private UpgradeRequest cookieRequest;
  private UpgradeRequest subprotocolRequest;

  @Setup
  public void setUp() {
    bearerRequest = browserLike("/ws").header("Authorization", "Bearer " + TOKEN).build();
    String userInfo = Base64.getEncoder().encodeToString(("alice:" + TOKEN).getBytes(StandardCharsets.UTF_8));
    basicRequest = browserLike("/ws").header("Authorization", "Basic " + userInfo).build();
    queryRequest = browserLike("/ws?room=42&token=" + TOKEN).build();
    cookieRequest = browserLike("/ws")
        .header("Cookie", "theme=dark; ws_token=" + TOKEN + "; _ga=GA1.2.1234567890.1700000000").build();
    subprotocolRequest = browserLike("/ws")
        .header("Sec-WebSocket-Protocol", "chat.v1, authorization.bearer." + TOKEN).build();
    for (Extraction e : new Extraction[] {bearer(), basic(), queryParameter(), cookie(), subprotocol(),
        firstOfOnQuery()}) {
      if (!(e instanceof Extraction.Present)) {
        throw new IllegalStateException("benchmark request not extracted: " + e);
      }
    }
  }

  static UpgradeRequest.Builder browserLike(String target) {
    return UpgradeRequest.builder()
        .requestTarget(target)
        .header("Host", "app.example:8443")
        .header("Connection", "Upgrade")
        .header("Upgrade", "websocket")
        .header("Sec-WebSocket-Version", "13")
        .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
        .header("Origin", "https://app.example")
        .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
  }

  @Benchmark
  public Extraction bearer() {
    return bearer.extract(bearerRequest);
  }

  @Benchmark
  public Extraction basic() {
    return basic.extract(basicRequest);
  }

  @Benchmark
  public Extraction queryParameter() {
    return query.extract(queryRequest);
  }

  @Benchmark
  public Extraction cookie() {
    return cookie.extract(cookieRequest);
  }

  @Benchmark
  public Extraction subprotocol() {
    return subprotocol.extract(subprotocolRequest);
  }

  /** {@code firstOf(bearer, query, cookie, subprotocol)}: every extractor runs, one finds the token. */
  @Benchmark
  public Extraction firstOfOnQuery() {
    return chain.extract(queryRequest);
  }

  /** Context, not an extractor: what building the request view costs an adapter (bearer request). */
  @Benchmark
  public UpgradeRequest buildRequest() {
    return browserLike("/ws?room=42").header("Authorization", "Bearer " + TOKEN).build();
  }
}
