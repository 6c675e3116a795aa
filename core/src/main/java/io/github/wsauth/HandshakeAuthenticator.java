package io.github.wsauth;

import io.github.wsauth.internal.Subprotocols;
import io.github.wsauth.internal.WebSocketHandshake;
import io.github.wsauth.store.TokenStoreUnavailableException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Authenticates a WebSocket upgrade request: origin check, credential extraction, token verification, and the
 * choice of subprotocol. Adapters turn the {@link AuthDecision} into their framework's response.
 *
 * <pre>{@code
 * HandshakeAuthenticator auth = HandshakeAuthenticator.builder()
 *     .extractor(CredentialExtractor.firstOf(CredentialExtractor.bearerHeader(),
 *                                            CredentialExtractor.queryParameter("token")))
 *     .verifier(TokenVerifier.opaque(store, TokenPolicy.defaults()))
 *     .originPolicy(OriginPolicy.allowOnly("https://app.example"))
 *     .build();
 * AuthDecision decision = auth.authenticate(request);
 * }</pre>
 *
 * <p>Order and answers: a foreign {@code Origin} gets 403 before any credential is looked at (so a hijacking page
 * never burns a token); a malformed credential 400; a missing one 401; a rejected token 401 with {@code
 * WWW-Authenticate} ({@code Basic realm="…", charset="UTF-8"} per RFC 7617, {@code Bearer realm="…",
 * error="invalid_token"} per RFC 6750 §3); a store failure 503, having consumed nothing. For Basic the username
 * must equal the token's subject (compared in constant time) unless {@link
 * Builder#allowAnyBasicUsername()}. Nothing here throws on hostile input. Immutable and thread-safe.
 */
public final class HandshakeAuthenticator {
  private static final Logger LOG = System.getLogger(HandshakeAuthenticator.class.getName());

  private final CredentialExtractor extractor;
  private final TokenVerifier verifier;
  private final OriginPolicy originPolicy;
  private final List<String> subprotocols;
  /** The default token prefix and those of the extractor's stock subprotocol extractors. */
  private final Set<String> tokenPrefixes;
  /** The names of the query parameters the extractor's stock query-parameter extractors read. */
  private final Set<String> credentialParameters;
  private final String realm;
  private final boolean basicUsernameMustMatch;
  private final AuthListener listener;
  private final boolean offersBasic;
  private final boolean offersBearer;

  private HandshakeAuthenticator(Builder b) {
    this.extractor = b.extractor;
    this.verifier = b.verifier;
    this.originPolicy = b.originPolicy;
    this.subprotocols = List.copyOf(b.subprotocols);
    List<CredentialExtractor> stock = stockExtractors(extractor);
    this.tokenPrefixes = tokenPrefixes(stock);
    this.credentialParameters = stock.stream().filter(QueryParameterExtractor.class::isInstance)
        .map(e -> ((QueryParameterExtractor) e).name()).collect(java.util.stream.Collectors.toUnmodifiableSet());
    this.realm = b.realm;
    this.basicUsernameMustMatch = b.basicUsernameMustMatch;
    this.listener = b.listener;
    Set<CredentialSource> sources = extractor.sources();
    this.offersBasic = sources.contains(CredentialSource.AUTHORIZATION_BASIC);
    // A custom extractor that does not say where it looks still gets a Bearer challenge: RFC 9110 §11.6.1
    // requires at least one WWW-Authenticate challenge on every 401.
    this.offersBearer = sources.isEmpty() || sources.stream().anyMatch(s -> s != CredentialSource.AUTHORIZATION_BASIC);
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The credential extractor, for adapters that check their wiring against it (the cookie bridge's cookie). */
  public CredentialExtractor extractor() {
    return extractor;
  }

  /** The origin policy, for adapters whose framework checks the origin in a separate step. */
  public OriginPolicy originPolicy() {
    return originPolicy;
  }

  /** The application subprotocols this server speaks, in its order of preference. */
  public List<String> subprotocols() {
    return subprotocols;
  }

  /**
   * The entries of a {@code Sec-WebSocket-Protocol} list that are not token entries: trimmed, with blank entries and
   * those that start with the prefix of a stock {@link CredentialExtractor#subprotocol(String) subprotocol
   * extractor} of this authenticator (anywhere in a {@link CredentialExtractor#firstOf firstOf} chain) or with
   * {@link CredentialExtractor#DEFAULT_SUBPROTOCOL_PREFIX} left out, in order. For adapters whose framework
   * negotiates the subprotocol in a step of its own (Jakarta's {@code getNegotiatedSubprotocol}): only these entries
   * may be selected, since echoing a token entry sends the credential back in a response header.
   *
   * @param protocols the entries (null is none; null entries are skipped)
   */
  public List<String> withoutTokenEntries(List<String> protocols) {
    return Subprotocols.withoutTokenEntries(protocols, tokenPrefixes);
  }

  /**
   * A raw query string with the credential masked: the value of every parameter that a stock {@link
   * CredentialExtractor#queryParameter(String) query-parameter extractor} of this authenticator reads (anywhere in a
   * {@link CredentialExtractor#firstOf firstOf} chain) replaced by {@link Redaction#MASK}, names matched after
   * decoding as the extractor matches them; every other parameter is kept as sent. Adapters hand the accepted
   * request on with this query, so the URI that the server, the framework and the application see and log
   * ({@code /chat?token=***&room=1}) no longer carries the token. A custom extractor's parameters are not known
   * here.
   *
   * @param rawQuery the raw query, without {@code '?'}; null stays null
   * @return the query with the credential parameters' values masked
   */
  public String redactQuery(String rawQuery) {
    return QueryParameterExtractor.redact(rawQuery, credentialParameters);
  }

  /**
   * The names of the query parameters that carry this authenticator's credential (those its stock query-parameter
   * extractors read, decoded); empty if it reads none.
   */
  public Set<String> credentialParameters() {
    return credentialParameters;
  }

  /** The extractors of a chain, with every {@code firstOf} flattened. */
  private static List<CredentialExtractor> stockExtractors(CredentialExtractor extractor) {
    List<CredentialExtractor> out = new ArrayList<>();
    List<CredentialExtractor> pending = new ArrayList<>(List.of(extractor));
    while (!pending.isEmpty()) {
      CredentialExtractor e = pending.remove(pending.size() - 1);
      if (e instanceof FirstOfExtractor f) {
        pending.addAll(f.extractors());
      } else {
        out.add(e);
      }
    }
    return out;
  }

  private static Set<String> tokenPrefixes(List<CredentialExtractor> extractors) {
    Set<String> prefixes = new java.util.LinkedHashSet<>();
    prefixes.add(CredentialExtractor.DEFAULT_SUBPROTOCOL_PREFIX);
    for (CredentialExtractor e : extractors) {
      if (e instanceof SubprotocolExtractor s) {
        prefixes.add(s.prefix());
      }
    }
    return Set.copyOf(prefixes);
  }

  /** The realm named in {@code WWW-Authenticate} challenges. */
  public String realm() {
    return realm;
  }

  /** The listener notified of every decision. */
  public AuthListener listener() {
    return listener;
  }

  /** Decides whether to upgrade. Never throws for anything the client sent. */
  public AuthDecision authenticate(UpgradeRequest request) {
    Objects.requireNonNull(request, "request must not be null");
    if (!originPolicy.allows(request)) {
      return reject(request, null, 403, List.of(), "origin not allowed");
    }
    Extraction extraction;
    try {
      extraction = extractor.extract(request);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "credential extractor failed: " + e.getClass().getName());
      return reject(request, null, 400, List.of(), "malformed credentials");
    }
    if (extraction instanceof Extraction.Malformed m) {
      return reject(request, m.source(), 400, malformedChallenges(m.source()), m.reason());
    }
    if (!(extraction instanceof Extraction.Present present)) {
      return reject(request, null, 401, missingChallenges(), "credentials required");
    }
    Credential credential = present.credential();
    Verification verification;
    try {
      verification = verifier.verify(credential.secret());
      if (verification == null) {
        throw new IllegalStateException("verifier returned null");
      }
    } catch (TokenStoreUnavailableException e) {
      // The TokenStore contract keeps secrets out of this message; the presented secret is masked all the same.
      LOG.log(Level.WARNING, "token store unavailable: " + Secrets.loggableMessage(e, credential.secret()));
      return reject(request, credential.source(), 503, List.of(), "authentication temporarily unavailable");
    } catch (RuntimeException e) {
      // A verifier bug must not become a 500 or an acceptance: fail closed as unavailable.
      LOG.log(Level.ERROR, "token verifier failed: " + e.getClass().getName());
      return reject(request, credential.source(), 503, List.of(), "authentication temporarily unavailable");
    }
    if (verification instanceof Verification.Rejected r) {
      return reject(request, credential.source(), 401, invalidChallenges(credential.source()),
          r.detail());
    }
    Identity identity = ((Verification.Verified) verification).identity().withSource(credential.source());
    if (credential instanceof Credential.UsernamePassword up && basicUsernameMustMatch
        && !Secrets.constantTimeEquals(up.username(), identity.subject())) {
      return reject(request, credential.source(), 401, invalidChallenges(credential.source()),
          RejectionReason.SUBJECT_MISMATCH.description());
    }
    String selected = Subprotocols.select(subprotocols, present.applicationSubprotocols());
    if (listener != AuthListener.NONE) { // no event allocation on the hot path when nobody listens
      AuthListener.notify(listener, new AuthEvent(AuthEvent.Stage.HANDSHAKE, true,
          credential.source(), identity.subject(), "accepted", 101, request.remoteAddress().orElse(null)));
    }
    return new AuthDecision.Accepted(identity, selected);
  }

  /**
   * Checks that the request is a valid RFC 6455 opening handshake ({@code GET}, HTTP/1.1 or later, {@code Upgrade:
   * websocket}, {@code Connection: upgrade}, exactly one valid {@code Sec-WebSocket-Key}, {@code
   * Sec-WebSocket-Version: 13}), then decides as {@link #authenticate(UpgradeRequest)}. For servers without a
   * wsauth adapter whose own check before an upgrade does not cover all of that (Vert.x's looks at neither {@code
   * Sec-WebSocket-Key} nor {@code Sec-WebSocket-Version}): an invalid handshake is refused (400, 405, or 426 with
   * {@code Sec-WebSocket-Version: 13}) before the credential is read, so a single-use token is never used up by a
   * request the server would then refuse. wsauth's adapters make this check themselves. Never throws for anything
   * the client sent.
   *
   * @param method the request method as received (case-sensitive), e.g. {@code "GET"}
   * @param httpVersion the request's HTTP version as {@code "HTTP/1.1"}
   * @param request the request
   */
  public AuthDecision authenticate(String method, String httpVersion, UpgradeRequest request) {
    Objects.requireNonNull(request, "request must not be null");
    Optional<WebSocketHandshake.Invalid> invalid = WebSocketHandshake.check(method, httpVersion, request);
    if (invalid.isPresent()) {
      return reject(request, null, invalid.get().status(), List.of(), invalid.get().reason());
    }
    return authenticate(request);
  }

  /**
   * The refusal of a request that an adapter found malformed before authenticating it (for example a request
   * target that the container cannot turn into the {@code URI} of its handshake request): HTTP 400 with the
   * challenges this authenticator gives for a malformed credential ({@code error="invalid_request"} when it offers
   * Bearer), and a rejection event to the listener. No credential is read, so nothing is consumed.
   *
   * @param request the request, for the listener's event (its remote address)
   * @param reason a short reason without any part of the request (it is logged and sent to the client)
   */
  public AuthDecision.Rejected rejectMalformed(UpgradeRequest request, String reason) {
    Objects.requireNonNull(request, "request must not be null");
    Objects.requireNonNull(reason, "reason must not be null");
    return (AuthDecision.Rejected) reject(request, null, 400, malformedChallenges(null), reason);
  }

  private AuthDecision reject(UpgradeRequest request, CredentialSource source, int status, List<String> challenges,
      String reason) {
    AuthListener.notify(listener, new AuthEvent(AuthEvent.Stage.HANDSHAKE, false, source,
        null, reason, status, request.remoteAddress().orElse(null)));
    return new AuthDecision.Rejected(status, challenges, reason);
  }

  private List<String> missingChallenges() {
    // RFC 6750 §3.1: a request without credentials gets a challenge without an error code.
    List<String> c = new ArrayList<>(2);
    if (offersBearer) {
      c.add(bearer(null));
    }
    if (offersBasic) {
      c.add(basic());
    }
    return c;
  }

  private List<String> malformedChallenges(CredentialSource source) {
    if (source == CredentialSource.AUTHORIZATION_BASIC) {
      return List.of(basic());
    }
    return offersBearer ? List.of(bearer("invalid_request")) : List.of();
  }

  private List<String> invalidChallenges(CredentialSource source) {
    if (source == CredentialSource.AUTHORIZATION_BASIC) {
      return List.of(basic());
    }
    return List.of(bearer("invalid_token"));
  }

  private String basic() {
    return "Basic realm=\"" + realm + "\", charset=\"UTF-8\"";
  }

  private String bearer(String error) {
    return error == null ? "Bearer realm=\"" + realm + "\"" : "Bearer realm=\"" + realm + "\", error=\"" + error + "\"";
  }

  @Override
  public String toString() {
    return "HandshakeAuthenticator[sources=" + extractor.sources() + ", " + originPolicy + ", subprotocols="
        + subprotocols + "]";
  }

  /** Builds a {@link HandshakeAuthenticator}; not thread-safe. */
  public static final class Builder {
    private CredentialExtractor extractor;
    private TokenVerifier verifier;
    private OriginPolicy originPolicy;
    private List<String> subprotocols = List.of();
    private String realm = "wsauth";
    private boolean basicUsernameMustMatch = true;
    private AuthListener listener = AuthListener.NONE;

    private Builder() {}

    /** Where to look for the credential (required). */
    public Builder extractor(CredentialExtractor extractor) {
      this.extractor = Objects.requireNonNull(extractor, "extractor must not be null");
      return this;
    }

    /** How to verify the token (required). */
    public Builder verifier(TokenVerifier verifier) {
      this.verifier = Objects.requireNonNull(verifier, "verifier must not be null");
      return this;
    }

    /**
     * Which origins may connect (required; pass {@link OriginPolicy#anyOrigin()} to opt out explicitly, which is
     * refused together with a cookie extractor).
     */
    public Builder originPolicy(OriginPolicy originPolicy) {
      this.originPolicy = Objects.requireNonNull(originPolicy, "originPolicy must not be null");
      return this;
    }

    /**
     * The application subprotocols this server speaks, in order of preference. The first one the client offered
     * is selected; a token entry never is. The wildcard {@code "*"} is refused: frameworks that take it (Netty)
     * would echo whatever the client offered, a token entry included.
     */
    public Builder subprotocols(List<String> subprotocols) {
      for (String s : subprotocols) {
        if (s.equals("*")) {
          throw new IllegalArgumentException(
              "subprotocol \"*\" would make Netty echo whatever the client offered, a token entry included");
        }
        if (!Secrets.isHttpToken(s)) {
          throw new IllegalArgumentException("subprotocol must be an HTTP token: " + s);
        }
        if (s.startsWith(CredentialExtractor.DEFAULT_SUBPROTOCOL_PREFIX)) {
          throw new IllegalArgumentException("a token prefix is not an application subprotocol");
        }
      }
      this.subprotocols = List.copyOf(subprotocols);
      return this;
    }

    /** The realm for {@code WWW-Authenticate}; default {@code wsauth}. */
    public Builder realm(String realm) {
      Objects.requireNonNull(realm, "realm must not be null");
      if (realm.isEmpty() || realm.indexOf('"') >= 0 || realm.indexOf('\\') >= 0 || Secrets.hasControl(realm)) {
        throw new IllegalArgumentException("realm must be non-empty without quotes, backslashes or controls");
      }
      this.realm = realm;
      return this;
    }

    /** Accepts a Basic credential whatever its username (by default the username must be the token's subject). */
    public Builder allowAnyBasicUsername() {
      this.basicUsernameMustMatch = false;
      return this;
    }

    /** Observes every decision; default {@link AuthListener#NONE}. */
    public Builder listener(AuthListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener must not be null");
      return this;
    }

    /** Builds the authenticator, failing fast on a missing or unsafe configuration. */
    public HandshakeAuthenticator build() {
      if (extractor == null) {
        throw new IllegalStateException("extractor must be set");
      }
      if (verifier == null) {
        throw new IllegalStateException("verifier must be set");
      }
      if (originPolicy == null) {
        throw new IllegalStateException(
            "originPolicy must be set (OriginPolicy.allowOnly(...), or OriginPolicy.anyOrigin() to opt out)");
      }
      if (originPolicy.allowsAnyOrigin() && extractor.sources().contains(CredentialSource.COOKIE)) {
        throw new IllegalStateException(
            "cookies are sent by browsers on cross-site requests: a cookie extractor needs an origin allow-list");
      }
      HandshakeAuthenticator built = new HandshakeAuthenticator(this);
      for (String s : subprotocols) {
        if (built.withoutTokenEntries(List.of(s)).isEmpty()) {
          throw new IllegalStateException("subprotocol " + s + " starts with a token prefix of the extractor ("
              + built.tokenPrefixes + "): a token entry is not an application subprotocol");
        }
      }
      return built;
    }
  }
}
