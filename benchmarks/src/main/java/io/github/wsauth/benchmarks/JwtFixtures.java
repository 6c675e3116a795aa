package io.github.wsauth.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.jwt.JwtIssuerConfig;
import io.github.wsauth.jwt.JwtKeys;
import io.github.wsauth.jwt.JwtTokens;
import io.github.wsauth.jwt.JwtVerifierConfig;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Keys, issuers and verifiers for the JWT benchmarks: our verifier, and the bare Nimbus {@link DefaultJWTProcessor}
 * baseline configured with the same checks (type {@code wsauth+jwt}; the one algorithm; key by {@code kid} from
 * the same JWK Set; exact {@code iss}; {@code aud}; required {@code sub}, {@code jti}, {@code iat}, {@code exp};
 * 5 s skew). Nimbus verifies Ed25519 only with Google Tink, so for EdDSA the baseline gets the least a Nimbus
 * user would write instead: a key selector returning the one JDK public key for a matching {@code kid}, and a
 * JWS verifier calling the JDK's {@code Ed25519} signature directly: the same crypto as ours.
 */
final class JwtFixtures {
  static final String ISSUER = "https://app.example";
  static final String AUDIENCE = "wss://ws.example";
  static final String KID = "bench-1";

  final JWSAlgorithm algorithm;
  final JWK signingKey;
  final JWKSet verificationKeys;

  JwtFixtures(String alg) throws JOSEException {
    switch (alg) {
      case "HS256":
        algorithm = JWSAlgorithm.HS256;
        signingKey = new OctetSequenceKeyGenerator(256).keyID(KID).generate();
        verificationKeys = new JWKSet(signingKey);
        break;
      case "ES256":
        algorithm = JWSAlgorithm.ES256;
        signingKey = new ECKeyGenerator(Curve.P_256).keyID(KID).generate();
        verificationKeys = new JWKSet(signingKey.toPublicJWK());
        break;
      case "EdDSA":
        algorithm = JWSAlgorithm.EdDSA;
        signingKey = JwtKeys.generateEd25519(KID);
        verificationKeys = new JWKSet(signingKey.toPublicJWK());
        break;
      default:
        throw new IllegalArgumentException("unknown algorithm " + alg);
    }
  }

  TokenIssuer issuer(TokenPolicy policy, Clock clock) {
    return JwtTokens.issuer(JwtIssuerConfig.builder()
        .signingKey(signingKey).issuer(ISSUER).audience(AUDIENCE).policy(policy).clock(clock).build());
  }

  TokenVerifier verifier(TokenPolicy policy, TokenStore store, Clock clock) {
    JwtVerifierConfig.Builder b = JwtVerifierConfig.builder()
        .issuer(ISSUER).audience(AUDIENCE).algorithms(algorithm).keys(verificationKeys).policy(policy).clock(clock);
    if (store != null) {
      b.store(store);
    }
    return JwtTokens.verifier(b.build());
  }

  /**
   * The set-up of the reusable-token verification benchmarks ({@link JwtVerifyBenchmark}, {@link
   * JwtPeersBenchmark}): one token of alice under a reusable one-hour policy, our verifier (no store) and the bare
   * Nimbus baseline, each checked to accept the token.
   */
  Reusable reusable() throws Exception {
    Clock clock = Clock.systemUTC();
    TokenPolicy policy = TokenPolicy.builder().reusable().lifetime(Duration.ofHours(1)).build();
    String token = issuer(policy, clock).issue("alice").value();
    TokenVerifier wsauth = verifier(policy, null, clock);
    DefaultJWTProcessor<SecurityContext> nimbus = baselineProcessor(policy);
    if (!wsauth.verify(token).isVerified()) {
      throw new IllegalStateException("wsauth rejects the benchmark token");
    }
    if (!"alice".equals(nimbus.process(token, null).getSubject())) {
      throw new IllegalStateException("bare Nimbus rejects the benchmark token");
    }
    return new Reusable(token, policy, clock, wsauth, nimbus);
  }

  /** What {@link #reusable()} sets up. */
  record Reusable(String token, TokenPolicy policy, Clock clock, TokenVerifier wsauth,
      DefaultJWTProcessor<SecurityContext> nimbus) {}

  DefaultJWTProcessor<SecurityContext> baselineProcessor(TokenPolicy policy) throws GeneralSecurityException {
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JwtTokens.TYPE));
    if (algorithm.equals(JWSAlgorithm.EdDSA)) {
      PublicKey key = jdkEd25519((OctetKeyPair) verificationKeys.getKeys().get(0));
      List<Key> keys = List.of(key);
      p.setJWSKeySelector((header, context) ->
          JWSAlgorithm.EdDSA.equals(header.getAlgorithm()) && KID.equals(header.getKeyID()) ? keys : List.of());
      p.setJWSVerifierFactory(new JdkEd25519VerifierFactory());
    } else {
      p.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithm, new ImmutableJWKSet<>(verificationKeys)));
      p.setJWSVerifierFactory(new DefaultJWSVerifierFactory());
    }
    DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
        AUDIENCE, new JWTClaimsSet.Builder().issuer(ISSUER).build(), Set.of("sub", "jti", "iat", "exp"));
    claims.setMaxClockSkew((int) policy.clockSkew().getSeconds());
    p.setJWTClaimsSetVerifier(claims);
    return p;
  }

  private static PublicKey jdkEd25519(OctetKeyPair okp) throws GeneralSecurityException {
    byte[] prefix = HexFormat.of().parseHex("302a300506032b6570032100"); // RFC 8410 SubjectPublicKeyInfo
    byte[] x = okp.getDecodedX();
    byte[] der = new byte[prefix.length + x.length];
    System.arraycopy(prefix, 0, der, 0, prefix.length);
    System.arraycopy(x, 0, der, prefix.length, x.length);
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
  }

  /** A bare JDK Ed25519 JWS verifier for the baseline. */
  private static final class JdkEd25519VerifierFactory implements JWSVerifierFactory {
    private final JCAContext jca = new JCAContext();

    @Override
    public JWSVerifier createJWSVerifier(JWSHeader header, Key key) {
      return new JWSVerifier() {
        @Override
        public boolean verify(JWSHeader h, byte[] signingInput, Base64URL signature) throws JOSEException {
          try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify((PublicKey) key);
            s.update(signingInput);
            return s.verify(signature.decode());
          } catch (GeneralSecurityException e) {
            return false;
          }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
          return Set.of(JWSAlgorithm.EdDSA);
        }

        @Override
        public JCAContext getJCAContext() {
          return jca;
        }
      };
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
      return Set.of(JWSAlgorithm.EdDSA);
    }

    @Override
    public JCAContext getJCAContext() {
      return jca;
    }
  }
}
