package io.github.wsauth.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.lifetime.RevocationBus;
import io.github.wsauth.store.TokenStore;
import java.net.URL;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Configuration of a JWT {@link io.github.wsauth.TokenVerifier}. Immutable and thread-safe; built with {@link
 * #builder()}.
 *
 * <pre>{@code
 * TokenVerifier verifier = JwtTokens.verifier(JwtVerifierConfig.builder()
 *     .issuer("https://app.example.com")
 *     .audience("wss://ws.example.com")
 *     .algorithms(JWSAlgorithm.ES256)                       // the allow-list: required, no default
 *     .remoteKeys(new URL("https://app.example.com/.well-known/jwks.json"))   // or .keys(jwkSet)
 *     .policy(TokenPolicy.defaults())                       // same policy as the issuer
 *     .store(store)                                         // records jti of single-use tokens
 *     .build());
 * }</pre>
 *
 * <p>Security defaults: the algorithm allow-list must be given explicitly (any of HS256, ES256, EdDSA, RS256),
 * and each allowed algorithm only ever selects keys of its own type by {@code kid}; a single-use policy requires a
 * store; tokens longer than {@link #DEFAULT_MAX_TOKEN_LENGTH} characters are rejected before any parsing.
 */
public final class JwtVerifierConfig {
  /** Default length cap: 8 KiB, checked before anything else. */
  public static final int DEFAULT_MAX_TOKEN_LENGTH = 8 * 1024;
  /** Smallest accepted length cap. */
  public static final int MIN_MAX_TOKEN_LENGTH = 256;
  /** Largest accepted length cap. */
  public static final int MAX_MAX_TOKEN_LENGTH = 64 * 1024;
  /** Largest verified-token cache accepted. */
  public static final int MAX_CACHE_ENTRIES = 1_000_000;

  private final String issuer;
  private final String audience;
  private final Set<JWSAlgorithm> algorithms;
  private final Set<KeyBinding> bindings;
  private final JWKSource<SecurityContext> keySource;
  private final TokenPolicy policy;
  private final TokenStore store;
  private final Clock clock;
  private final int maxTokenLength;
  private final int cacheEntries;
  private final RevocationBus revocations;

  private JwtVerifierConfig(Builder b) {
    this.issuer = JwtIssuerConfig.requireText(b.issuer, "issuer");
    this.audience = JwtIssuerConfig.requireText(b.audience, "audience");
    if (b.algorithms.isEmpty()) {
      throw new IllegalArgumentException("algorithms must be set: the allow-list has no default (RFC 8725 §3.1)");
    }
    this.algorithms = Set.copyOf(b.algorithms);
    this.bindings = EnumSet.noneOf(KeyBinding.class);
    for (JWSAlgorithm alg : algorithms) {
      bindings.add(KeyBinding.of(alg).orElseThrow(() -> new IllegalArgumentException(
          "unsupported algorithm " + alg + ": use HS256, ES256, EdDSA or RS256")));
    }
    if (b.keySource == null) {
      throw new IllegalArgumentException("keys must be set: keys(JWKSet), remoteKeys(URL) or keySource(...)");
    }
    if (b.localKeys != null && b.localKeys.getKeys().stream().noneMatch(this::usable)) {
      throw new IllegalArgumentException(
          "no key in the set has a kid and fits an allowed algorithm (type, curve, minimum size)");
    }
    this.keySource = b.keySource;
    this.policy = Objects.requireNonNull(b.policy, "policy must not be null");
    this.store = b.store;
    this.clock = Objects.requireNonNull(b.clock, "clock must not be null");
    if (policy.singleUse() && store == null) {
      throw new IllegalArgumentException("a single-use policy needs a token store to record each jti");
    }
    if (b.maxTokenLength < MIN_MAX_TOKEN_LENGTH || b.maxTokenLength > MAX_MAX_TOKEN_LENGTH) {
      throw new IllegalArgumentException("max token length must be between " + MIN_MAX_TOKEN_LENGTH + " and "
          + MAX_MAX_TOKEN_LENGTH);
    }
    this.maxTokenLength = b.maxTokenLength;
    if (b.cacheEntries < 0 || b.cacheEntries > MAX_CACHE_ENTRIES) {
      throw new IllegalArgumentException("cache size must be between 0 (off) and " + MAX_CACHE_ENTRIES);
    }
    if (b.cacheEntries > 0 && policy.singleUse()) {
      throw new IllegalArgumentException(
          "a single-use policy cannot cache verified tokens: each token must reach the store once");
    }
    this.cacheEntries = b.cacheEntries;
    this.revocations = b.revocations;
  }

  private boolean usable(JWK key) {
    return key.getKeyID() != null && bindings.stream().anyMatch(b -> b.fits(key));
  }

  /** A new builder; policy defaults to {@link TokenPolicy#defaults()}, clock to {@code systemUTC}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The exact {@code iss} required. */
  public String issuer() {
    return issuer;
  }

  /** The one {@code aud} value required. */
  public String audience() {
    return audience;
  }

  /** The algorithm allow-list. */
  public Set<JWSAlgorithm> algorithms() {
    return algorithms;
  }

  Set<KeyBinding> bindings() {
    return bindings;
  }

  /** Where verification keys come from. */
  public JWKSource<SecurityContext> keySource() {
    return keySource;
  }

  /** Maximum lifetime, clock skew and single-use. */
  public TokenPolicy policy() {
    return policy;
  }

  /** The store that records {@code jti}s of single-use tokens; empty for a reusable policy without one. */
  public Optional<TokenStore> store() {
    return Optional.ofNullable(store);
  }

  /** The clock for {@code exp}, {@code iat} and {@code nbf} checks. */
  public Clock clock() {
    return clock;
  }

  /** Longest token accepted, in characters. */
  public int maxTokenLength() {
    return maxTokenLength;
  }

  /** Most verified tokens kept by the verified-token cache; 0 (the default) when it is off. */
  public int verifiedTokenCacheSize() {
    return cacheEntries;
  }

  /** The revocation bus the verified-token cache listens to, if one was given. */
  public Optional<RevocationBus> revocations() {
    return Optional.ofNullable(revocations);
  }

  @Override
  public String toString() {
    return "JwtVerifierConfig[issuer=" + issuer + ", audience=" + audience + ", algorithms=" + algorithms
        + ", policy=" + policy + ", maxTokenLength=" + maxTokenLength + ", verifiedTokenCacheSize=" + cacheEntries
        + "]";
  }

  /** Builds a {@link JwtVerifierConfig}; not thread-safe. */
  public static final class Builder {
    private String issuer;
    private String audience;
    private final Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
    private JWKSource<SecurityContext> keySource;
    private JWKSet localKeys;
    private TokenPolicy policy = TokenPolicy.defaults();
    private TokenStore store;
    private Clock clock = Clock.systemUTC();
    private int maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH;
    private int cacheEntries;
    private RevocationBus revocations;

    private Builder() {}

    /** The exact {@code iss} to require. Required. */
    public Builder issuer(String issuer) {
      this.issuer = issuer;
      return this;
    }

    /**
     * The audience to require. Required. A token's {@code aud} must be this value alone (a string, or an array
     * holding just it): a token also addressed to other services is rejected, so it cannot be replayed there.
     */
    public Builder audience(String audience) {
      this.audience = audience;
      return this;
    }

    /** The algorithms to accept, any of HS256, ES256, EdDSA, RS256; replaces earlier calls. Required. */
    public Builder algorithms(JWSAlgorithm... algorithms) {
      Objects.requireNonNull(algorithms, "algorithms must not be null");
      this.algorithms.clear();
      for (JWSAlgorithm a : algorithms) {
        this.algorithms.add(Objects.requireNonNull(a, "algorithm must not be null"));
      }
      return this;
    }

    /**
     * Local verification keys, several for rotation, each with a {@code kid}. For HS256 the set holds the
     * shared secret; otherwise it must hold public keys only: a set with a private EC, RSA or Ed25519 key is
     * refused, since a verifier has no use for a signing key and holding one widens what a leak exposes (pass
     * {@code jwkSet.toPublicJWKSet()} to take the public parts explicitly). One of {@code keys}, {@code remoteKeys},
     * {@code keySource} is required.
     *
     * @throws IllegalArgumentException if the set holds a private asymmetric key
     */
    public Builder keys(JWKSet keys) {
      Objects.requireNonNull(keys, "keys must not be null");
      for (JWK key : keys.getKeys()) {
        if (key.isPrivate() && !(key instanceof OctetSequenceKey)) {
          throw new IllegalArgumentException("verification keys must be public (a private " + key.getKeyType()
              + " key is in the set): pass jwkSet.toPublicJWKSet()");
        }
      }
      setSource(new ImmutableJWKSet<>(keys));
      this.localKeys = keys;
      return this;
    }

    /** A remote JWK Set, fetched, cached and rate-limited as described at {@link JwtKeys#remote(URL)}. */
    public Builder remoteKeys(URL jwkSetUrl) {
      setSource(JwtKeys.remote(jwkSetUrl));
      return this;
    }

    /** Any Nimbus key source, e.g. one built with {@code JWKSourceBuilder} and your own settings. */
    public Builder keySource(JWKSource<SecurityContext> keySource) {
      setSource(Objects.requireNonNull(keySource, "key source must not be null"));
      return this;
    }

    private void setSource(JWKSource<SecurityContext> source) {
      if (this.keySource != null) {
        throw new IllegalStateException("keys are already set: use one of keys, remoteKeys, keySource");
      }
      this.keySource = source;
    }

    /** Maximum lifetime, clock skew, single-use: the same policy as the issuer. */
    public Builder policy(TokenPolicy policy) {
      this.policy = policy;
      return this;
    }

    /** Where single-use tokens' {@code jti}s are recorded; required for a single-use policy. */
    public Builder store(TokenStore store) {
      this.store = store;
      return this;
    }

    /** The clock for time checks; tests pass a fixed or mutable clock. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Length cap in characters, checked before parsing; between 256 and 65536, default 8192. The stock extractors
     * and the first message cap a credential at {@link io.github.wsauth.CredentialExtractor#MAX_CREDENTIAL_LENGTH}
     * (4096) before the verifier sees it; a higher value matters only to callers of {@code verify} itself.
     */
    public Builder maxTokenLength(int maxTokenLength) {
      this.maxTokenLength = maxTokenLength;
      return this;
    }

    /**
     * Keeps up to {@code maxEntries} verified tokens, so a reusable token verified again is answered from memory
     * (well under a microsecond) until its {@code exp}; 0, the default, turns the cache off. For a reusable policy
     * only (a single-use token must reach the store every time). Keyed by a keyed 128-bit hash of the token, never
     * the token. The trade-off: a cached token keeps verifying until its {@code exp} even if its key leaves the key
     * set meanwhile, and only a {@link #revocations revocation} drops it earlier (docs/JWT.md).
     *
     * @param maxEntries 0 (off) to {@value #MAX_CACHE_ENTRIES}
     */
    public Builder verifiedTokenCache(int maxEntries) {
      this.cacheEntries = maxEntries;
      return this;
    }

    /**
     * The bus whose revocations drop the verified-token cache's entries: a {@link
     * io.github.wsauth.lifetime.Revocation.Kind#SUBJECT} revocation those of the subject, a {@link
     * io.github.wsauth.lifetime.Revocation.Kind#TOKEN} revocation those of the {@code jti}. The verifier
     * subscribes when it is built and stays subscribed for the bus's life. Revocations made by a {@link
     * io.github.wsauth.lifetime.Revoker} of this process drop the entries before the revocation call returns,
     * bus or not; with a {@link #store store}, a token re-verified after a revocation is refused by the store's
     * revocation records.
     */
    public Builder revocations(RevocationBus bus) {
      this.revocations = Objects.requireNonNull(bus, "bus must not be null");
      return this;
    }

    /** Builds the config, failing fast on a missing or unsuitable setting. */
    public JwtVerifierConfig build() {
      return new JwtVerifierConfig(this);
    }
  }
}
