package io.github.wsauth.jwt;


import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Builds tokens by hand, byte by byte, so tests can forge what a well-behaved issuer never produces. */
final class TestJwts {
  static final String ISS = "https://app.example.com";
  static final String AUD = "wss://ws.example.com";
  static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  static final Duration LIFETIME = Duration.ofSeconds(60);
  static final Duration SKEW = Duration.ofSeconds(5);
  static final TokenPolicy REUSABLE =
      TokenPolicy.builder().reusable().lifetime(LIFETIME).clockSkew(SKEW).build();
  static final TokenPolicy SINGLE_USE =
      TokenPolicy.builder().singleUse().lifetime(LIFETIME).clockSkew(SKEW).build();

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private TestJwts() {}

  /** Signs the signing input (ASCII of "header.payload") and returns the raw signature. */
  @FunctionalInterface
  interface Signing {
    byte[] sign(byte[] input) throws Exception;
  }

  static String b64(byte[] bytes) {
    return B64.encodeToString(bytes);
  }

  static String b64(String utf8) {
    return b64(utf8.getBytes(StandardCharsets.UTF_8));
  }

  static String json(Map<String, ?> map) {
    return JSONObjectUtils.toJSONString(new LinkedHashMap<String, Object>(map));
  }

  static Map<String, Object> header(String alg, String kid) {
    Map<String, Object> h = new LinkedHashMap<>();
    h.put("alg", alg);
    h.put("typ", "wsauth+jwt");
    if (kid != null) {
      h.put("kid", kid);
    }
    return h;
  }

  /** Valid claims issued at {@code iat}: iss, sub=alice, aud, iat, exp=iat+60s, a random jti. */
  static Map<String, Object> claims(Instant iat) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("iss", ISS);
    c.put("sub", "alice");
    c.put("aud", AUD);
    c.put("iat", iat.getEpochSecond());
    c.put("exp", iat.plus(LIFETIME).getEpochSecond());
    c.put("jti", UUID.randomUUID().toString());
    return c;
  }

  static String token(Map<String, ?> header, Map<String, ?> claims, Signing signing) {
    return tokenFromJson(json(header).getBytes(StandardCharsets.UTF_8),
        json(claims).getBytes(StandardCharsets.UTF_8), signing);
  }

  static String tokenFromJson(byte[] headerJson, byte[] payloadJson, Signing signing) {
    String input = b64(headerJson) + "." + b64(payloadJson);
    try {
      return input + "." + b64(signing.sign(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Signing hmac(String jcaName, byte[] secret) {
    return input -> {
      Mac mac = Mac.getInstance(jcaName);
      mac.init(new SecretKeySpec(secret, jcaName));
      return mac.doFinal(input);
    };
  }

  static Signing hs256(byte[] secret) {
    return hmac("HmacSHA256", secret);
  }

  static Signing jca(String algorithm, PrivateKey key) {
    return input -> {
      Signature s = Signature.getInstance(algorithm);
      s.initSign(key);
      s.update(input);
      return s.sign();
    };
  }

  static Signing es256(ECKey key) {
    return input -> jca("SHA256withECDSAinP1363Format", key.toECPrivateKey()).sign(input);
  }

  static Signing rs(String jcaName, RSAKey key) {
    return input -> jca(jcaName, key.toRSAPrivateKey()).sign(input);
  }

  static Signing ed25519(OctetKeyPair key) {
    return input -> jca("Ed25519", Ed25519Jdk.privateKey(key)).sign(input);
  }

  /** A signing function for one of the shared test keys, by algorithm name. */
  static Signing signingFor(JWSAlgorithm alg) {
    if (JWSAlgorithm.HS256.equals(alg)) {
      return hs256(TestKeys.HS.toByteArray());
    }
    if (JWSAlgorithm.ES256.equals(alg)) {
      return es256(TestKeys.EC);
    }
    if (JWSAlgorithm.RS256.equals(alg)) {
      return rs("SHA256withRSA", TestKeys.RSA);
    }
    if (JWSAlgorithm.EdDSA.equals(alg)) {
      return ed25519(TestKeys.ED);
    }
    throw new IllegalArgumentException(alg.getName());
  }

  /** A well-formed HS256 token of the shared HS key with the given claims. */
  static String hs256Token(Map<String, ?> claims) {
    return token(header("HS256", TestKeys.HS.getKeyID()), claims, hs256(TestKeys.HS.toByteArray()));
  }

  /** The verifier config most tests use: all four algorithms, the four shared keys. */
  static JwtVerifierConfig.Builder verifierConfig(MutableClock clock) {
    return JwtVerifierConfig.builder()
        .issuer(ISS)
        .audience(AUD)
        .algorithms(JWSAlgorithm.HS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA, JWSAlgorithm.RS256)
        .keys(TestKeys.verificationKeys())
        .policy(REUSABLE)
        .clock(clock);
  }

  static JwtVerifierConfig.Builder singleUseConfig(MutableClock clock, TokenStore store, JWKSet keys) {
    return JwtVerifierConfig.builder()
        .issuer(ISS)
        .audience(AUD)
        .algorithms(JWSAlgorithm.HS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA, JWSAlgorithm.RS256)
        .keys(keys)
        .policy(SINGLE_USE)
        .store(store)
        .clock(clock);
  }

  static JwtIssuerConfig.Builder issuerConfig(com.nimbusds.jose.jwk.JWK key, MutableClock clock, TokenPolicy p) {
    return JwtIssuerConfig.builder().signingKey(key).issuer(ISS).audience(AUD).policy(p).clock(clock);
  }
}
