package io.github.wsauth;

import java.util.Objects;

/** {@link TokenVerifier#byShape}: JWS compact serialisations (with dots) to one verifier, the rest to another. */
final class ShapeDispatchingVerifier implements TokenVerifier {
  private final TokenVerifier opaque;
  private final TokenVerifier jwt;

  ShapeDispatchingVerifier(TokenVerifier opaque, TokenVerifier jwt) {
    this.opaque = Objects.requireNonNull(opaque, "opaque verifier must not be null");
    this.jwt = Objects.requireNonNull(jwt, "jwt verifier must not be null");
  }

  @Override
  public Verification verify(String token) {
    if (token == null) {
      return Verification.rejected(RejectionReason.MALFORMED);
    }
    return token.indexOf('.') >= 0 ? jwt.verify(token) : opaque.verify(token);
  }
}
