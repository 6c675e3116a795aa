package io.github.wsauth.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import io.github.wsauth.TokenPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of a JWT {@link io.github.wsauth.TokenIssuer}: the signing key, who issues, for whom, under
 * which {@link TokenPolicy}, by which clock. Immutable and thread-safe; built with {@link #builder()}.
 *
 * <pre>{@code
 * ECKey key = new ECKeyGenerator(Curve.P_256).keyID("2030-01").generate();
 * TokenIssuer issuer = JwtTokens.issuer(JwtIssuerConfig.builder()
 *     .signingKey(key)                          // HS256, ES256, EdDSA (Ed25519) or RS256, from the key type
 *     .issuer("https://app.example.com")
 *     .audience("wss://ws.example.com")
 *     .policy(TokenPolicy.defaults())           // single-use, 30 seconds
 *     .build());
 * }</pre>
 *
 * <p>The algorithm follows from the key, never from a separate setting: an {@code oct} key of at least 256 bits
 * signs HS256, a P-256 {@code EC} key ES256, an Ed25519 {@code OKP} key EdDSA, an {@code RSA} key of at least
 * 2048 bits RS256. The key must be private (or symmetric), carry a {@code kid} (written to every token's header
 * so verifiers can rotate keys), and if it declares {@code use} or {@code alg} they must be {@code sig} and that
 * algorithm. {@link #toString()} shows the key id and algorithm, never key material.
 */
public final class JwtIssuerConfig {
  private final JWK signingKey;
  private final JWSAlgorithm algorithm;
  private final String issuer;
  private final String audience;
  private final TokenPolicy policy;
  private final Clock clock;

  private JwtIssuerConfig(Builder b) {
    this.signingKey = Objects.requireNonNull(b.signingKey, "signing key must be set");
    this.issuer = requireText(b.issuer, "issuer");
    this.audience = requireText(b.audience, "audience");
    this.policy = Objects.requireNonNull(b.policy, "policy must not be null");
    this.clock = Objects.requireNonNull(b.clock, "clock must not be null");
    KeyBinding binding = KeyBinding.forKey(signingKey).orElseThrow(() -> new IllegalArgumentException(
        "signing key must be an oct key of at least 256 bits (HS256), a P-256 EC key (ES256), an Ed25519 OKP "
            + "key (EdDSA) or an RSA key of at least 2048 bits (RS256)"));
    this.algorithm = binding.algorithm;
    if (signingKey.getKeyID() == null || signingKey.getKeyID().isEmpty()) {
      throw new IllegalArgumentException("signing key must have a key id (kid)");
    }
    if (binding != KeyBinding.HS256 && !signingKey.isPrivate()) {
      throw new IllegalArgumentException("signing key must include its private part");
    }
    if (signingKey.getKeyUse() != null && !KeyUse.SIGNATURE.equals(signingKey.getKeyUse())) {
      throw new IllegalArgumentException("signing key use must be sig");
    }
    if (signingKey.getAlgorithm() != null && !algorithm.getName().equals(signingKey.getAlgorithm().getName())) {
      throw new IllegalArgumentException("signing key alg must be " + algorithm + " for this key type");
    }
    if (policy.lifetime().compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("policy lifetime must be at least 1 second: JWT times are whole seconds");
    }
  }

  static String requireText(String value, String name) {
    Objects.requireNonNull(value, name + " must be set");
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return value;
  }

  /** A new builder; the policy defaults to {@link TokenPolicy#defaults()}, the clock to {@code systemUTC}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The signing key (a secret: never logged by this library). */
  public JWK signingKey() {
    return signingKey;
  }

  /** The JWS algorithm, derived from the key type. */
  public JWSAlgorithm algorithm() {
    return algorithm;
  }

  /** The {@code iss} claim. */
  public String issuer() {
    return issuer;
  }

  /** The {@code aud} claim. */
  public String audience() {
    return audience;
  }

  /** Lifetime and single-use of issued tokens. */
  public TokenPolicy policy() {
    return policy;
  }

  /** Where {@code iat} comes from. */
  public Clock clock() {
    return clock;
  }

  /** Shows issuer, audience, algorithm, key id and policy; never key material. */
  @Override
  public String toString() {
    return "JwtIssuerConfig[issuer=" + issuer + ", audience=" + audience + ", alg=" + algorithm + ", kid="
        + signingKey.getKeyID() + ", policy=" + policy + "]";
  }

  /** Builds a {@link JwtIssuerConfig}; not thread-safe. */
  public static final class Builder {
    private JWK signingKey;
    private String issuer;
    private String audience;
    private TokenPolicy policy = TokenPolicy.defaults();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The private (or symmetric) key to sign with; it decides the algorithm. Required. */
    public Builder signingKey(JWK signingKey) {
      this.signingKey = Objects.requireNonNull(signingKey, "signing key must not be null");
      return this;
    }

    /** The {@code iss} claim, e.g. the HTTP app's URL. Required. */
    public Builder issuer(String issuer) {
      this.issuer = issuer;
      return this;
    }

    /** The {@code aud} claim, e.g. the WebSocket service's URL. Required. */
    public Builder audience(String audience) {
      this.audience = audience;
      return this;
    }

    /** Lifetime ({@code exp - iat}) and whether tokens are single-use; the verifiers need the same policy. */
    public Builder policy(TokenPolicy policy) {
      this.policy = policy;
      return this;
    }

    /** The clock for {@code iat}; tests pass a fixed or mutable clock. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** Builds the config, failing fast on a missing or unsuitable setting. */
    public JwtIssuerConfig build() {
      return new JwtIssuerConfig(this);
    }
  }
}
