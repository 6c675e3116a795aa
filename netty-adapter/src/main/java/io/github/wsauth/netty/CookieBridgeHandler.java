package io.github.wsauth.netty;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.Identity;
import io.github.wsauth.UpgradeRequest;
import io.github.wsauth.internal.CharClasses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * Serves the cookie bridge on the WebSocket server's origin: the bridge page and scripts from core's {@code
 * META-INF/resources/wsauth/}, and {@code POST <bridgePath>/cookie}, which turns a token into an {@code HttpOnly;
 * SameSite=Strict} cookie. See {@link NettyWsAuth#cookieBridgeHandler(WsAuthConfig)}. Stateless.
 */
final class CookieBridgeHandler extends ChannelInboundHandlerAdapter {
  static final String PAGE = "cookie-bridge.html";
  static final String PAGE_SCRIPT = "cookie-bridge.js";
  static final String HELPER_SCRIPT = "wsauth.js";
  static final String COOKIE_ENDPOINT = "cookie";
  static final String MAX_AGE_HEADER = "X-WsAuth-Max-Age";

  private static final String HTML = "text/html; charset=utf-8";
  private static final String JAVASCRIPT = "text/javascript; charset=utf-8";

  private final WsAuthConfig config;
  private final String prefix;

  CookieBridgeHandler(WsAuthConfig config) {
    this.config = config;
    this.prefix = "/".equals(config.bridgePath()) ? "/" : config.bridgePath() + "/";
    Resources.load(); // fail fast if core's resources are missing
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest)) {
      ctx.fireChannelRead(msg);
      return;
    }
    FullHttpRequest request = (FullHttpRequest) msg;
    String path = NettyRequests.path(request.uri());
    // A request Netty could not decode lost its later headers (Origin, Sec-Fetch-Site): never answer it on what
    // is left; the upgrade handler after this one refuses it (431, 414 or 400).
    if (!path.startsWith(prefix) || request.decoderResult().isFailure()) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      FullHttpResponse response = answer(ctx, request, path.substring(prefix.length()));
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      HttpUtil.setKeepAlive(response, keepAlive);
      ChannelFuture written = ctx.writeAndFlush(response);
      if (!keepAlive) {
        written.addListener(ChannelFutureListener.CLOSE);
      }
    } finally {
      ReferenceCountUtil.release(request);
    }
  }

  private FullHttpResponse answer(ChannelHandlerContext ctx, FullHttpRequest request, String name) {
    switch (name) {
      case PAGE:
        return isGetOrHead(request) ? page(request) : methodNotAllowed(request, "GET, HEAD");
      case PAGE_SCRIPT:
      case HELPER_SCRIPT:
        return isGetOrHead(request) ? file(request, name, JAVASCRIPT) : methodNotAllowed(request, "GET, HEAD");
      case COOKIE_ENDPOINT:
        return HttpMethod.POST.equals(request.method()) ? setCookie(ctx, request) : methodNotAllowed(request, "POST");
      default:
        return text(request, HttpResponseStatus.NOT_FOUND, "not found");
    }
  }

  private FullHttpResponse page(FullHttpRequest request) {
    UpgradeRequest view = UpgradeRequest.builder().requestTarget(request.uri()).build();
    List<String> parents = view.queryParameters("parent");
    if (view.isQueryMalformed() || parents.size() != 1) {
      return text(request, HttpResponseStatus.BAD_REQUEST, "exactly one parent origin required");
    }
    String parent = parents.get(0);
    if (!config.bridgeParentOrigins().contains(parent)) {
      return text(request, HttpResponseStatus.FORBIDDEN, "parent origin not allowed");
    }
    FullHttpResponse response = file(request, PAGE, HTML);
    // parent is one of the configured, validated origins: safe to put into a header.
    response.headers()
        .set("Content-Security-Policy", "default-src 'none'; script-src 'self'; connect-src 'self'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors " + parent)
        .set("Referrer-Policy", "no-referrer")
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    return response;
  }

  private FullHttpResponse setCookie(ChannelHandlerContext ctx, FullHttpRequest request) {
    HttpHeaders h = request.headers();
    List<String> origins = h.getAll(HttpHeaderNames.ORIGIN);
    // CSRF: only the bridge page itself, on this server's origin, may set the cookie.
    if (origins.size() != 1 || !origins.get(0).equals(serverOrigin(ctx, request))) {
      return text(request, HttpResponseStatus.FORBIDDEN, "origin not allowed");
    }
    String fetchSite = h.get("Sec-Fetch-Site");
    if (fetchSite != null && !"same-origin".equals(fetchSite)) {
      return text(request, HttpResponseStatus.FORBIDDEN, "origin not allowed");
    }
    String contentType = h.get(HttpHeaderNames.CONTENT_TYPE);
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).replace(" ", "").matches("text/plain(;charset=utf-8)?")) {
      return text(request, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "text/plain token expected");
    }
    ByteBuf body = request.content();
    if (body.readableBytes() > CredentialExtractor.MAX_CREDENTIAL_LENGTH) {
      return text(request, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "token too long");
    }
    String token = b64token(body);
    if (token == null) {
      return text(request, HttpResponseStatus.BAD_REQUEST, "malformed token");
    }
    List<String> maxAges = h.getAll(MAX_AGE_HEADER);
    long maxAge = maxAges.size() == 1 ? seconds(maxAges.get(0)) : -1;
    if (maxAge < 1) {
      return text(request, HttpResponseStatus.BAD_REQUEST, "max age required");
    }
    maxAge = Math.min(maxAge, config.maxCookieAge().getSeconds());
    boolean secure = config.alwaysSecureCookie() || ctx.pipeline().get(SslHandler.class) != null
        || config.bridgeServerOrigin().map(o -> o.startsWith("https:")).orElse(false);
    FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(),
        HttpResponseStatus.NO_CONTENT);
    response.headers()
        .set(HttpHeaderNames.SET_COOKIE, config.cookieName() + "=" + token + "; Path=" + config.cookiePath()
            + "; Max-Age=" + maxAge + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : ""))
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    return response;
  }

  /** This server's origin as a browser writes it: configured, or from {@code Host} and TLS on the channel. */
  private String serverOrigin(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (config.bridgeServerOrigin().isPresent()) {
      return config.bridgeServerOrigin().get();
    }
    List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
    if (hosts.size() != 1) {
      return null;
    }
    String scheme = ctx.pipeline().get(SslHandler.class) != null ? "https" : "http";
    try {
      return WsAuthConfig.canonicalOrigin(scheme + "://" + hosts.get(0));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The body as an RFC 6750 b64token (also valid cookie-octets), or null. */
  private static String b64token(ByteBuf body) {
    String s = body.toString(StandardCharsets.ISO_8859_1);
    return CharClasses.isB64token(s) ? s : null;
  }

  private static long seconds(String value) {
    if (value.isEmpty() || value.length() > 9 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    return Long.parseLong(value);
  }

  private static boolean isGetOrHead(FullHttpRequest request) {
    return HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
  }

  private static FullHttpResponse file(FullHttpRequest request, String name, String contentType) {
    byte[] bytes = Resources.load().get(name);
    boolean head = HttpMethod.HEAD.equals(request.method());
    FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.OK,
        head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
        .set("X-Content-Type-Options", "nosniff")
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
    return response;
  }

  private static FullHttpResponse methodNotAllowed(FullHttpRequest request, String allow) {
    FullHttpResponse response = text(request, HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed");
    response.headers().set(HttpHeaderNames.ALLOW, allow);
    return response;
  }

  private static FullHttpResponse text(FullHttpRequest request, HttpResponseStatus status, String text) {
    return NettyRequests.textResponse(request.protocolVersion(), status, text);
  }

  /** The fixed whitelist of bridge files, read once from core's jar. */
  static final class Resources {
    static final String DIRECTORY = "/META-INF/resources/wsauth/";
    private static volatile Map<String, byte[]> files;

    private Resources() {}

    static Map<String, byte[]> load() {
      Map<String, byte[]> f = files;
      if (f == null) {
        f = Map.of(PAGE, read(PAGE), PAGE_SCRIPT, read(PAGE_SCRIPT), HELPER_SCRIPT, read(HELPER_SCRIPT));
        files = f;
      }
      return f;
    }

    private static byte[] read(String name) {
      // Core's class loader: the files ship in wsauth-core, where servlet containers serve them too.
      try (InputStream in = Identity.class.getResourceAsStream(DIRECTORY + name)) {
        if (in == null) {
          throw new IllegalStateException("wsauth-core resource missing: " + DIRECTORY + name);
        }
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read wsauth-core resource " + DIRECTORY + name, e);
      }
    }
  }
}
