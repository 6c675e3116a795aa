/**
 * wsauth core: framework-free authentication for WebSocket servers.
 *
 * <p>The flow: an HTTP app issues a token with a {@link io.github.wsauth.TokenIssuer}; the client presents it in
 * the upgrade request or its first message; a {@link io.github.wsauth.HandshakeAuthenticator} (a {@link
 * io.github.wsauth.CredentialExtractor}, a {@link io.github.wsauth.TokenVerifier} and an {@link
 * io.github.wsauth.OriginPolicy}) or a {@link io.github.wsauth.FirstMessageAuthenticator} turns it into an
 * {@link io.github.wsauth.Identity} or a precise rejection. Server-side token state lives behind the {@link
 * io.github.wsauth.store.TokenStore} SPI. A machine client presents its token with a {@link
 * io.github.wsauth.ClientCredential}.
 *
 * <p>Rules that hold throughout: fail closed; no secret in a log line, exception message or {@code toString()};
 * constant-time comparison of secrets; strict decoding with length caps before parsing; time from an injected
 * {@link java.time.Clock}.
 */
package io.github.wsauth;
