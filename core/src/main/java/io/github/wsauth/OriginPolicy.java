package io.github.wsauth;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import io.github.wsauth.internal.Origins;

/**
 * Which browser origins may open a WebSocket: the defence against cross-site WebSocket hijacking, where a page
 * on another site opens a socket that the browser decorates with this site's cookies.
 *
 * <pre>{@code
 * OriginPolicy origins = OriginPolicy.builder().allow("https://app.example").build();
 * }</pre>
 *
 * <p>Rules: origins are compared exactly on scheme, host and port (case-insensitive scheme and host, default
 * ports 80/443 normalised); the literal {@code null} origin is rejected unless {@link Builder#allowNullOrigin()};
 * a request with several {@code Origin} values or an unparsable one is rejected; a request without {@code Origin}
 * (a program, not a browser) is allowed unless {@link Builder#requireOrigin()}. Any origin only by the explicit
 * {@link #anyOrigin()}. Immutable and thread-safe.
 */
public final class OriginPolicy {
  private static final OriginPolicy ANY = new OriginPolicy(Set.of(), false, false, true);

  private final Set<String> allowed;
  private final boolean allowNull;
  private final boolean requireOrigin;
  private final boolean any;

  private OriginPolicy(Set<String> allowed, boolean allowNull, boolean requireOrigin, boolean any) {
    this.allowed = allowed;
    this.allowNull = allowNull;
    this.requireOrigin = requireOrigin;
    this.any = any;
  }

  /** Allows every origin: only for servers that accept no ambient credential such as a cookie. */
  public static OriginPolicy anyOrigin() {
    return ANY;
  }

  /**
   * Allows exactly the given origins, e.g. {@code "https://app.example"}.
   *
   * @throws IllegalArgumentException if no origin is given (a policy that lets no browser in is a wiring mistake;
   *     {@link #builder()} builds one deliberately), or an origin is invalid
   */
  public static OriginPolicy allowOnly(String... origins) {
    if (origins.length == 0) {
      throw new IllegalArgumentException("allowOnly needs at least one origin");
    }
    Builder b = builder();
    for (String o : origins) {
      b.allow(o);
    }
    return b.build();
  }

  /** Starts an empty allow-list. */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether this policy lets any origin through. */
  public boolean allowsAnyOrigin() {
    return any;
  }

  /** Whether the request's {@code Origin} is acceptable. */
  public boolean allows(UpgradeRequest request) {
    return allows(request.headerValues("Origin"));
  }

  /** Whether the given {@code Origin} header values (usually zero or one) are acceptable. */
  public boolean allows(List<String> originHeaderValues) {
    if (originHeaderValues.isEmpty()) {
      return any || !requireOrigin;
    }
    if (originHeaderValues.size() > 1) {
      return false;
    }
    if (any) {
      return true;
    }
    String origin = originHeaderValues.get(0);
    if ("null".equals(origin)) {
      return allowNull;
    }
    String normalized = normalize(origin);
    return normalized != null && allowed.contains(normalized);
  }

  /** The normalised origin {@code scheme://host[:port]}, or null if it is not a serialised origin. */
  static String normalize(String origin) {
    return Origins.canonical(origin);
  }

  @Override
  public String toString() {
    return any ? "OriginPolicy[any]" : "OriginPolicy" + allowed + (allowNull ? "+null" : "")
        + (requireOrigin ? ", origin required" : "");
  }

  /** Builds an {@link OriginPolicy}; not thread-safe. */
  public static final class Builder {
    private final Set<String> allowed = new LinkedHashSet<>();
    private boolean allowNull;
    private boolean requireOrigin;

    private Builder() {}

    /** Allows one origin, {@code scheme://host[:port]} with no path. */
    public Builder allow(String origin) {
      Objects.requireNonNull(origin, "origin must not be null");
      String normalized = normalize(origin);
      if (normalized == null) {
        throw new IllegalArgumentException("not a serialised origin (scheme://host[:port]): " + origin);
      }
      allowed.add(normalized);
      return this;
    }

    /** Allows the literal {@code null} origin (sandboxed iframes, {@code file:} pages). Rarely wise. */
    public Builder allowNullOrigin() {
      this.allowNull = true;
      return this;
    }

    /** Rejects requests without an {@code Origin} header, i.e. non-browser clients. */
    public Builder requireOrigin() {
      this.requireOrigin = true;
      return this;
    }

    /** Builds the policy. */
    public OriginPolicy build() {
      return new OriginPolicy(Set.copyOf(allowed), allowNull, requireOrigin, false);
    }
  }
}
