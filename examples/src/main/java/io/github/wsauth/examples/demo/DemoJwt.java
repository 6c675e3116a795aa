package io.github.wsauth.examples.demo;

import java.time.Clock;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;

import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.jwt.JwtIssuerConfig;
import io.github.wsauth.jwt.JwtKeys;
import io.github.wsauth.jwt.JwtTokens;
import io.github.wsauth.jwt.JwtVerifierConfig;

/**
 * The demo's JWTs: the app signs with an Ed25519 key made at start-up; the servers verify with its public half
 * only, and consume each token's {@code jti} once in the shared store (single-use). Issuer: the app's origin;
 * audience: {@value #AUDIENCE}.
 */
final class DemoJwt {
  /** The {@code aud} of every demo JWT. */
  static final String AUDIENCE = "wsauth-demo";

  private final TokenIssuer issuer;
  private final TokenVerifier verifier;

  DemoJwt(TokenStore store, TokenPolicy policy, Clock clock, String appOrigin) {
    OctetKeyPair key = JwtKeys.generateEd25519("demo-" + clock.instant().getEpochSecond());
    this.issuer = JwtTokens.issuer(JwtIssuerConfig.builder()
        .signingKey(key)
        .issuer(appOrigin)
        .audience(AUDIENCE)
        .policy(policy)
        .clock(clock)
        .build());
    this.verifier = JwtTokens.verifier(JwtVerifierConfig.builder()
        .issuer(appOrigin)
        .audience(AUDIENCE)
        .algorithms(JWSAlgorithm.EdDSA)
        .keys(new JWKSet(key.toPublicJWK()))
        .policy(policy)
        .store(store)
        .clock(clock)
        .build());
  }

  TokenIssuer issuer() {
    return issuer;
  }

  TokenVerifier verifier() {
    return verifier;
  }
}
