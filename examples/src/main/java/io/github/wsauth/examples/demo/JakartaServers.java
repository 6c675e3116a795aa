package io.github.wsauth.examples.demo;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.jakarta.JakartaAuthConfig;

/**
 * The demo's Jakarta WebSocket servers on embedded Tomcat, wired as the Jakarta section of the README shows:
 * query parameter (8002), URI user info as Basic (8004) and the Bearer header (8006). Every server closes a
 * connection when its identity expires ({@link DemoServers#EXPIRY_CLOSE_CODE}), registers it in the demo's registry
 * (so "log out everywhere" closes it), and {@link HelloEndpoint} takes a later {@code {"token": "…"}} message as an
 * in-band re-authentication ({@link io.github.wsauth.jakarta.JakartaWsAuth#reauthenticate}).
 */
final class JakartaServers {
  private JakartaServers() {}

  /** 8002: {@code ws://localhost:8002/?token=...}. */
  static DemoServer queryParameter(DemoConfig config, DemoTokens tokens, AuthLog log, String appOrigin) {
    return JakartaDemoServer.start(AuthMethod.QUERY_PARAM, config.port(AuthMethod.QUERY_PARAM),
        JakartaAuthConfig.builder()
            .handshake(HandshakeAuthenticator.builder()
                .extractor(CredentialExtractor.queryParameter("token"))
                .verifier(tokens.verifier())
                .originPolicy(OriginPolicy.allowOnly(appOrigin))
                .listener(log.listener(AuthMethod.QUERY_PARAM))
                .build())
            .closeOnExpiry(true)                          // closed with 4401 "authentication expired" at expiry
            .expiryCloseCode(DemoServers.EXPIRY_CLOSE_CODE)
            .clock(config.clock())
            .lifetime(tokens.lifetime())                  // revocable; HelloEndpoint re-authenticates in-band
            .build(), config.handshakeTimeout());
  }

  /**
   * 8004: {@code ws://<token>@localhost:8004/} (what the demo page and wsauth.js use: works in every browser) or
   * {@code ws://<user>:<token>@localhost:8004/} (programs), which clients send as {@code Authorization: Basic};
   * where a user name is given it must be the one the token was issued to (the authenticator's default).
   */
  static DemoServer userInfo(DemoConfig config, DemoTokens tokens, AuthLog log, String appOrigin) {
    return JakartaDemoServer.start(AuthMethod.USER_INFO, config.port(AuthMethod.USER_INFO),
        JakartaAuthConfig.builder()
            .handshake(HandshakeAuthenticator.builder()
                .extractor(CredentialExtractor.basicHeaderWithTokenAsUserName())
                .verifier(tokens.verifier())
                .originPolicy(OriginPolicy.allowOnly(appOrigin))
                .realm("wsauth-demo")
                .listener(log.listener(AuthMethod.USER_INFO))
                .build())
            .closeOnExpiry(true)                          // closed with 4401 "authentication expired" at expiry
            .expiryCloseCode(DemoServers.EXPIRY_CLOSE_CODE)
            .clock(config.clock())
            .lifetime(tokens.lifetime())                  // revocable; HelloEndpoint re-authenticates in-band
            .build(), config.handshakeTimeout());
  }

  /**
   * 8006: {@code Authorization: Bearer <token>}, for programs. Any Origin: no ambient credential is involved,
   * since a browser cannot set this header on a WebSocket.
   */
  static DemoServer bearer(DemoConfig config, DemoTokens tokens, AuthLog log) {
    return JakartaDemoServer.start(AuthMethod.BEARER, config.port(AuthMethod.BEARER),
        JakartaAuthConfig.builder()
            .handshake(HandshakeAuthenticator.builder()
                .extractor(CredentialExtractor.bearerHeader())
                .verifier(tokens.verifier())
                .originPolicy(OriginPolicy.anyOrigin())
                .realm("wsauth-demo")
                .listener(log.listener(AuthMethod.BEARER))
                .build())
            .closeOnExpiry(true)                          // closed with 4401 "authentication expired" at expiry
            .expiryCloseCode(DemoServers.EXPIRY_CLOSE_CODE)
            .clock(config.clock())
            .lifetime(tokens.lifetime())                  // revocable; HelloEndpoint re-authenticates in-band
            .build(), config.handshakeTimeout());
  }
}
