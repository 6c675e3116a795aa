package io.github.wsauth.jwt;

import static io.github.wsauth.jwt.TestJwts.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.CachingJWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetBasedJWKSource;
import com.nimbusds.jose.jwk.source.JWKSetSourceWrapper;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.OutageTolerantJWKSetSource;
import com.nimbusds.jose.jwk.source.RateLimitedJWKSetSource;
import com.nimbusds.jose.jwk.source.RetryingJWKSetSource;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.SignedJWT;
import io.github.wsauth.Identity;
import io.github.wsauth.IssuedToken;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.testkit.MutableClock;
import java.net.InetAddress;
import java.net.URL;
import org.junit.jupiter.api.Test;

class JwtKeysTest {
  private final MutableClock clock = MutableClock.at(NOW);

  @Test
  void generateEc256_isAPrivateP256KeyWithItsId_thatSignsEs256TokensItsPublicPartVerifies() throws Exception {
    ECKey key = JwtKeys.generateEc256("2030-01");
    assertThat(key.getCurve()).isEqualTo(Curve.P_256);
    assertThat(key.getKeyID()).isEqualTo("2030-01");
    assertThat(key.isPrivate()).isTrue();
    assertThat(JwtKeys.generateEc256("2030-01").toPublicJWK()).isNotEqualTo(key.toPublicJWK());

    TokenIssuer issuer = JwtTokens.issuer(TestJwts.issuerConfig(key, clock, TestJwts.REUSABLE).build());
    IssuedToken token = issuer.issue("alice");
    assertThat(SignedJWT.parse(token.value()).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    TokenVerifier verifier = JwtTokens.verifier(JwtVerifierConfig.builder().issuer(TestJwts.ISS)
        .audience(TestJwts.AUD).policy(TestJwts.REUSABLE).clock(clock).algorithms(JWSAlgorithm.ES256)
        .keys(new JWKSet(key.toPublicJWK())).build());
    assertThat(verifier.verify(token.value()).verifiedIdentity().map(Identity::subject)).contains("alice");
  }

  @Test
  void generateEc256_withoutKeyId_isRefused() {
    assertThatThrownBy(() -> JwtKeys.generateEc256("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key id must not be empty");
    assertThatThrownBy(() -> JwtKeys.generateEc256(null)).isInstanceOf(NullPointerException.class);
  }
  @Test
  void remote_plainHttp_onlyToALiteralLoopbackAddressOrLocalhost() throws Exception {
    for (String ok : new String[] {"http://localhost/k", "http://LOCALHOST:8080/k", "http://127.0.0.1/k",
        "http://127.8.9.10:1/k", "http://[::1]/k", "https://keys.example.com/k", "HTTPS://keys.example.com/k"}) {
      assertThat(JwtKeys.remote(new URL(ok))).as(ok).isNotNull();
    }
    // A name is never looked up (localhost.example.com could resolve to 127.0.0.1); other literals are not loopback.
    for (String refused : new String[] {"http://localhost.example.com/k", "http://127.0.0.1.nip.io/k",
        "http://10.0.0.1/k", "http://[::2]/k", "http://0.0.0.0/k", "http://999.1.1.1/k", "http://[fe80::1]/k",
        "ftp://127.0.0.1/k", "file://localhost/etc/k"}) {
      assertThatThrownBy(() -> JwtKeys.remote(new URL(refused))).as(refused)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("JWK Set URL must use https (http only to a loopback host)");
    }
    assertThatThrownBy(() -> JwtKeys.remote(null)).isInstanceOf(NullPointerException.class);
  }
  @Test
  void remote_plainHttpToANameThatResolvesToLoopback_isRefused_theNameIsNeverLookedUp() throws Exception {
    // This JVM resolves the name to 127.0.0.1 (jwt/pom.xml: jdk.net.hosts.file), as a DNS answer could: were the
    // name looked up to decide, plain http to it would pass as loopback, and a later answer could point elsewhere.
    assertThat(InetAddress.getByName("loopback-alias.test").isLoopbackAddress()).isTrue();
    assertThatThrownBy(() -> JwtKeys.remote(new URL("http://loopback-alias.test/jwks.json")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("JWK Set URL must use https (http only to a loopback host)");
  }
  /**
   * The remote key set's documented settings (docs/JWT.md), as the source chain holds them: no wall-clock wait can
   * show a five-minute cache or a one-hour outage tolerance in a unit test, so the test reads them from each link.
   */
  @Test
  void remote_isBuiltWithTheDocumentedCacheRateLimitRetryOutageAndHttpSettings() throws Exception {
    JWKSource<SecurityContext> source = JwtKeys.remote(new URL("https://keys.example.com/jwks.json"));
    java.util.Map<Class<?>, Object> links = new java.util.LinkedHashMap<>();
    Object link = ((JWKSetBasedJWKSource<SecurityContext>) source).getJWKSetSource();
    while (link instanceof JWKSetSourceWrapper<?> wrapper) {
      links.put(wrapper.getClass(), wrapper);
      link = wrapper.getSource();
    }
    links.put(link.getClass(), link);

    assertThat(links.keySet()).as("no refresh-ahead cache: no background threads").containsExactly(
        CachingJWKSetSource.class, RateLimitedJWKSetSource.class, OutageTolerantJWKSetSource.class,
        RetryingJWKSetSource.class, URLBasedJWKSetSource.class);
    assertThat(((OutageTolerantJWKSetSource<?>) links.get(OutageTolerantJWKSetSource.class)).getTimeToLive())
        .isEqualTo(JwtKeys.OUTAGE_TOLERANCE.toMillis()).isEqualTo(3_600_000L);
    CachingJWKSetSource<?> cache = (CachingJWKSetSource<?>) links.get(CachingJWKSetSource.class);
    assertThat(cache.getTimeToLive()).isEqualTo(JwtKeys.CACHE_TIME_TO_LIVE.toMillis()).isEqualTo(300_000L);
    assertThat(cache.getCacheRefreshTimeout()).isEqualTo(JwtKeys.CACHE_REFRESH_TIMEOUT.toMillis()).isEqualTo(15_000L);
    assertThat(((RateLimitedJWKSetSource<?>) links.get(RateLimitedJWKSetSource.class)).getMinTimeInterval())
        .isEqualTo(JwtKeys.RATE_LIMIT_INTERVAL.toMillis()).isEqualTo(30_000L);
    DefaultResourceRetriever http = (DefaultResourceRetriever) ((URLBasedJWKSetSource<?>) links.get(
        URLBasedJWKSetSource.class)).getResourceRetriever();
    assertThat(http.getConnectTimeout()).isEqualTo(500);
    assertThat(http.getReadTimeout()).isEqualTo(500);
    assertThat(http.getSizeLimit()).isEqualTo(50 * 1024);
  }
}
