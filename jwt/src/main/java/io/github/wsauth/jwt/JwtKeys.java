package io.github.wsauth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.net.InetAddress;
import java.net.URL;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Key helpers for JWT tokens: a remote JWK Set source with safe defaults, ES256 keys, and Ed25519 keys from the JDK
 * (Nimbus's own {@code OctetKeyPairGenerator} needs Google Tink; this library does not).
 *
 * <pre>{@code
 * JWKSource<SecurityContext> keys = JwtKeys.remote(new URL("https://app.example.com/.well-known/jwks.json"));
 * ECKey es = JwtKeys.generateEc256("2030-01");         // ES256, the recommended algorithm
 * OctetKeyPair ed = JwtKeys.generateEd25519("2030-01");
 * }</pre>
 *
 * Stateless and thread-safe.
 */
public final class JwtKeys {
  /** How long a fetched JWK Set is used before it is fetched again. */
  public static final Duration CACHE_TIME_TO_LIVE = Duration.ofMinutes(5);
  /** How long a verification waits for another thread's fetch of the set. */
  public static final Duration CACHE_REFRESH_TIMEOUT = Duration.ofSeconds(15);
  /** At most two fetches in this interval, however many unknown {@code kid}s arrive. */
  public static final Duration RATE_LIMIT_INTERVAL = Duration.ofSeconds(30);
  /** How long the last good set keeps serving while the URL fails. */
  public static final Duration OUTAGE_TOLERANCE = Duration.ofHours(1);

  /** Connect and read timeout of a fetch, in milliseconds (Nimbus' defaults, set here so they cannot drift). */
  private static final int HTTP_TIMEOUT_MILLIS = 500;
  /** The most of a JWK Set a fetch reads: 50 KiB (a set of a few keys is a few KiB). */
  private static final int MAX_JWK_SET_BYTES = 50 * 1024;

  private JwtKeys() {}

  /**
   * A JWK Set fetched from {@code jwkSetUrl} through Nimbus's {@code JWKSourceBuilder}: cached for {@link
   * #CACHE_TIME_TO_LIVE}; a token with an unknown {@code kid} triggers a refetch (that is how a rotated-in key is
   * picked up) but at most two fetches happen per {@link #RATE_LIMIT_INTERVAL}, so a flood of made-up {@code kid}s
   * cannot hammer the URL; one retry on a network error; the last good set keeps serving for {@link
   * #OUTAGE_TOLERANCE} while the URL is down. HTTP timeouts 500 ms (connect and read), at most 50 KiB. No
   * background threads (no refresh-ahead): an expired cache is refetched by the next verification. The cache
   * runs on wall-clock time, independent of the verifier's {@code Clock}.
   *
   * <p>Security default: {@code https} only; plain {@code http} is accepted for loopback hosts, for tests and
   * sidecars on the same machine.
   *
   * @throws IllegalArgumentException if the URL is neither https nor http to a loopback address
   */
  public static JWKSource<SecurityContext> remote(URL jwkSetUrl) {
    Objects.requireNonNull(jwkSetUrl, "JWK Set URL must not be null");
    String scheme = jwkSetUrl.getProtocol().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(scheme.equals("http") && isLoopback(jwkSetUrl.getHost()))) {
      throw new IllegalArgumentException("JWK Set URL must use https (http only to a loopback host)");
    }
    return JWKSourceBuilder.<SecurityContext>create(jwkSetUrl,
            new DefaultResourceRetriever(HTTP_TIMEOUT_MILLIS, HTTP_TIMEOUT_MILLIS, MAX_JWK_SET_BYTES))
        .cache(CACHE_TIME_TO_LIVE.toMillis(), CACHE_REFRESH_TIMEOUT.toMillis())
        .refreshAheadCache(false)
        .rateLimited(RATE_LIMIT_INTERVAL.toMillis())
        .retrying(true)
        .outageTolerant(OUTAGE_TOLERANCE.toMillis())
        .build();
  }

  private static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    // Only literal addresses are resolved: a name other than localhost is never looked up here.
    if (!host.matches("[0-9.]+") && !host.startsWith("[")) {
      return false;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * A new ES256 key pair (EC on P-256), the recommended algorithm, as a Nimbus {@link ECKey} with key id
   * {@code keyId}; keep it secret in the issuer and give verifiers {@code key.toPublicJWK()}.
   *
   * @throws IllegalArgumentException if {@code keyId} is empty
   */
  public static ECKey generateEc256(String keyId) {
    JwtIssuerConfig.requireText(keyId, "key id");
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(keyId).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("EC P-256 is part of every Java platform", e);
    }
  }

  /** A new Ed25519 key pair from the JDK, as a Nimbus {@link OctetKeyPair} with key id {@code keyId}. */
  public static OctetKeyPair generateEd25519(String keyId) {
    try {
      return ed25519(KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), keyId);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Ed25519 is part of every Java 15+ platform", e);
    }
  }

  /**
   * A JDK Ed25519 key pair (e.g. loaded from a keystore) as a Nimbus {@link OctetKeyPair} with key id {@code
   * keyId}; use {@code toPublicJWK()} for what verifiers need.
   *
   * @throws IllegalArgumentException if the pair is not Ed25519
   */
  public static OctetKeyPair ed25519(KeyPair pair, String keyId) {
    Objects.requireNonNull(pair, "key pair must not be null");
    JwtIssuerConfig.requireText(keyId, "key id");
    return Ed25519Jdk.fromJdk(pair, keyId);
  }
}
