/**
 * Signed, short-lived JWT tokens (JWS compact serialisation, Nimbus JOSE+JWT) behind the core {@link
 * io.github.wsauth.TokenIssuer} and {@link io.github.wsauth.TokenVerifier} interfaces.
 *
 * <p>The HTTP app signs with {@link io.github.wsauth.jwt.JwtTokens#issuer}; any number of WebSocket servers
 * verify with {@link io.github.wsauth.jwt.JwtTokens#verifier} and the public key, a {@link
 * com.nimbusds.jose.jwk.JWKSet} or a remote JWK Set URL ({@link io.github.wsauth.jwt.JwtKeys#remote}). They
 * share no state, except for single-use tokens, whose {@code jti} is recorded once in a {@link
 * io.github.wsauth.store.TokenStore}.
 *
 * <p>Security defaults (RFC 8725): an explicit algorithm allow-list (HS256, ES256, EdDSA/Ed25519, RS256), each
 * algorithm bound to one key type; the explicit type {@code wsauth+jwt}; exact {@code iss} and {@code aud};
 * required {@code exp}, {@code iat}, {@code jti}, {@code sub}; a maximum lifetime; a length cap and a strict
 * shape check before parsing; no header may bring or point at a key ({@code jwk}, {@code jku}, {@code x5u},
 * {@code x5c}) and no {@code crit} header is understood.
 */
package io.github.wsauth.jwt;
