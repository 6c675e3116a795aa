package io.github.wsauth.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.wsauth.CredentialSource;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code wsauth.*} configuration properties of the auto-configuration. Every bean they configure can be
 * replaced by one of the application's own (store, policy, verifier, issuer, authenticators).
 *
 * <pre>
 * wsauth.credentials=authorization-bearer,subprotocol,query-parameter
 * wsauth.allowed-origins=https://app.example
 * wsauth.token.lifetime=30s
 * wsauth.token.single-use=true
 * </pre>
 */
@ConfigurationProperties("wsauth")
public final class WsAuthProperties {
  private final Token token = new Token();
  private List<CredentialSource> credentials = new ArrayList<>(List.of(CredentialSource.AUTHORIZATION_BEARER,
      CredentialSource.SUBPROTOCOL, CredentialSource.QUERY_PARAMETER));
  private String queryParameter = "token";
  private String cookieName = "wsauth";
  private List<String> allowedOrigins = new ArrayList<>();
  private String realm = "wsauth";
  private List<String> subprotocols = new ArrayList<>();
  private Duration firstMessageDeadline = Duration.ofSeconds(10);
  private final Stomp stomp = new Stomp();
  private final Lifetime lifetime = new Lifetime();

  /** Creates the properties with their defaults. */
  public WsAuthProperties() {}

  /** The token policy. */
  public Token getToken() {
    return token;
  }

  /**
   * Where credentials are taken from during the upgrade, in this order; default {@code authorization-bearer,
   * subprotocol, query-parameter}. {@code cookie} needs {@link #getAllowedOrigins() allowed origins}; {@code
   * first-message} is not a handshake location (STOMP authenticates in its {@code CONNECT} frame).
   */
  public List<CredentialSource> getCredentials() {
    return credentials;
  }

  /** Sets where credentials are taken from. */
  public void setCredentials(List<CredentialSource> credentials) {
    this.credentials = credentials;
  }

  /** The query parameter holding the token; default {@code token}. */
  public String getQueryParameter() {
    return queryParameter;
  }

  /** Sets the query parameter holding the token. */
  public void setQueryParameter(String queryParameter) {
    this.queryParameter = queryParameter;
  }

  /** The cookie holding the token; default {@code wsauth}. */
  public String getCookieName() {
    return cookieName;
  }

  /** Sets the cookie holding the token. */
  public void setCookieName(String cookieName) {
    this.cookieName = cookieName;
  }

  /** The allowed {@code Origin}s (scheme, host, port); empty allows any origin, which cookies forbid. */
  public List<String> getAllowedOrigins() {
    return allowedOrigins;
  }

  /** Sets the allowed origins. */
  public void setAllowedOrigins(List<String> allowedOrigins) {
    this.allowedOrigins = allowedOrigins;
  }

  /** The realm of the {@code WWW-Authenticate} challenges; default {@code wsauth}. */
  public String getRealm() {
    return realm;
  }

  /** Sets the realm. */
  public void setRealm(String realm) {
    this.realm = realm;
  }

  /** The application subprotocols the server selects from those a client offers; default none. */
  public List<String> getSubprotocols() {
    return subprotocols;
  }

  /** Sets the application subprotocols. */
  public void setSubprotocols(List<String> subprotocols) {
    this.subprotocols = subprotocols;
  }

  /** How long a connection may stay unauthenticated (the STOMP {@code CONNECT} frame); default 10 seconds. */
  public Duration getFirstMessageDeadline() {
    return firstMessageDeadline;
  }

  /** Sets the first-message deadline. */
  public void setFirstMessageDeadline(Duration firstMessageDeadline) {
    this.firstMessageDeadline = firstMessageDeadline;
  }

  /** The STOMP settings. */
  public Stomp getStomp() {
    return stomp;
  }

  /** What happens to authenticated connections: closed on expiry, revocation close code. */
  public Lifetime getLifetime() {
    return lifetime;
  }

  /** The token policy: lifetime, single use, clock skew. */
  public static final class Token {
    private Duration lifetime = Duration.ofSeconds(30);
    private boolean singleUse = true;
    private Duration clockSkew;

    /** Creates the policy properties with their defaults. */
    public Token() {}

    /** How long an issued token is valid; default 30 seconds. */
    public Duration getLifetime() {
      return lifetime;
    }

    /** Sets the lifetime. */
    public void setLifetime(Duration lifetime) {
      this.lifetime = lifetime;
    }

    /** Whether a token opens one connection only; default true. */
    public boolean isSingleUse() {
      return singleUse;
    }

    /** Sets whether tokens are single-use. */
    public void setSingleUse(boolean singleUse) {
      this.singleUse = singleUse;
    }

    /** The allowed clock skew; default that of {@code TokenPolicy.defaults()}. */
    public Duration getClockSkew() {
      return clockSkew;
    }

    /** Sets the allowed clock skew. */
    public void setClockSkew(Duration clockSkew) {
      this.clockSkew = clockSkew;
    }
  }

  /** STOMP over WebSocket: authentication of the {@code CONNECT} frame. */
  public static final class Stomp {
    private boolean enabled = true;
    private List<String> paths = new ArrayList<>();

    /** Creates the STOMP properties with their defaults. */
    public Stomp() {}

    /**
     * Whether the {@code CONNECT} frame of every STOMP session is authenticated (with
     * {@code @EnableWebSocketMessageBroker}); default true.
     */
    public boolean isEnabled() {
      return enabled;
    }

    /** Sets whether STOMP {@code CONNECT} frames are authenticated. */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * The STOMP endpoints' paths (patterns), which Spring Security then leaves to wsauth: their upgrade is not
     * authenticated (the {@code CONNECT} frame is). Only needed with Spring Security.
     */
    public List<String> getPaths() {
      return paths;
    }

    /** Sets the STOMP endpoints' paths. */
    public void setPaths(List<String> paths) {
      this.paths = paths;
    }
  }

  /**
   * The lifetime of authenticated connections (every style): each is registered in the {@code ConnectionRegistry}
   * bean, so the {@code Revoker} bean closes it, and, with {@code close-on-expiry}, is closed when its identity
   * expires.
   */
  public static final class Lifetime {
    private boolean closeOnExpiry;
    private int expiryCloseCode = 1008;

    /** Creates the lifetime properties with their defaults. */
    public Lifetime() {}

    /** Whether a connection is closed when its identity expires; default false, as in the adapters. */
    public boolean isCloseOnExpiry() {
      return closeOnExpiry;
    }

    /** Sets whether connections are closed on expiry. */
    public void setCloseOnExpiry(boolean closeOnExpiry) {
      this.closeOnExpiry = closeOnExpiry;
    }

    /** The close code of an expired connection; default 1008 (1000, 1001, 1008 or 3000-4999). */
    public int getExpiryCloseCode() {
      return expiryCloseCode;
    }

    /** Sets the close code of an expired connection. */
    public void setExpiryCloseCode(int expiryCloseCode) {
      this.expiryCloseCode = expiryCloseCode;
    }
  }
}
