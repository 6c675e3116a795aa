package io.github.wsauth.netty;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

import io.github.wsauth.HttpRejection;
import io.github.wsauth.UpgradeRequest;
import io.github.wsauth.internal.WebSocketHandshake;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

/** Translation between Netty's HTTP objects and wsauth's framework-free request view. */
final class NettyRequests {
  /** The reason core gives for a missing {@code Upgrade: websocket}. */
  private static final String UPGRADE_NOT_WEBSOCKET = "not a WebSocket handshake: missing Upgrade: websocket";

  private NettyRequests() {}

  /** The framework-free view of a Netty request (target in origin-form), with every header value and the peer. */
  static UpgradeRequest toUpgradeRequest(HttpRequest request, String target, SocketAddress remote) {
    UpgradeRequest.Builder b = UpgradeRequest.builder().requestTarget(target);
    // Not iteratorAsString(): it wraps every entry in a new one. The decoder's names and values are Strings or
    // AsciiStrings, whose toString() is free or cached.
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = request.headers().iteratorCharSequence();
        it.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> header = it.next();
      b.header(header.getKey().toString(), header.getValue().toString());
    }
    if (remote instanceof InetSocketAddress) {
      b.remoteAddress((InetSocketAddress) remote);
    }
    return b.build();
  }

  /**
   * The request target in origin-form when it addresses the WebSocket endpoint, else {@code null}. The match is
   * Netty's own ({@code WebSocketServerProtocolHandshakeHandler.isWebSocketPath}: the raw target, with {@code
   * checkStartsWith} a sub-path or query after the path), applied after an absolute-form target ({@code
   * http://host/ws}, RFC 9112 §3.2.2) was reduced to origin-form, so wsauth authenticates exactly the requests
   * Netty upgrades once their target is normalised.
   */
  static String webSocketTarget(String uri, String websocketPath, boolean checkStartsWith) {
    String target = originForm(uri);
    return matches(target, websocketPath, checkStartsWith) ? target : null;
  }

  /**
   * An absolute-form {@code http(s)} target reduced to origin-form (path and query; {@code /} for an empty
   * path); any other target unchanged (the same instance).
   */
  static String originForm(String uri) {
    if (uri.isEmpty() || uri.charAt(0) == '/') {
      return uri;
    }
    int authority;
    if (uri.regionMatches(true, 0, "http://", 0, 7)) {
      authority = 7;
    } else if (uri.regionMatches(true, 0, "https://", 0, 8)) {
      authority = 8;
    } else {
      return uri; // asterisk-form, authority-form or garbage: Netty never matches them, nor does wsauth
    }
    int slash = uri.indexOf('/', authority);
    int query = uri.indexOf('?', authority);
    int cut = slash < 0 ? query : (query < 0 ? slash : Math.min(slash, query));
    if (cut < 0) {
      return "/";
    }
    return uri.charAt(cut) == '?' ? "/" + uri.substring(cut) : uri.substring(cut);
  }

  private static boolean matches(String uri, String websocketPath, boolean checkStartsWith) {
    if (!checkStartsWith) {
      return uri.equals(websocketPath);
    }
    if (!uri.startsWith(websocketPath)) {
      return false;
    }
    if ("/".equals(websocketPath) || uri.length() == websocketPath.length()) {
      return true;
    }
    char next = uri.charAt(websocketPath.length());
    return next == '/' || next == '?';
  }

  /**
   * Why the request is not an opening handshake Netty would complete, or empty: core's RFC 6455 checks, then
   * Netty's stricter reading of {@code Upgrade} (one value equal to {@code websocket}, not a list holding it), so
   * a token is never used up by a request Netty then refuses.
   */
  static Optional<WebSocketHandshake.Invalid> checkHandshake(HttpRequest request, UpgradeRequest view) {
    Optional<WebSocketHandshake.Invalid> invalid = WebSocketHandshake.check(request.method().name(),
        request.protocolVersion().text(), view);
    if (invalid.isEmpty() && !request.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
      return Optional.of(new WebSocketHandshake.Invalid(400, UPGRADE_NOT_WEBSOCKET));
    }
    return invalid;
  }

  /**
   * The answer to a request Netty could not decode: 431 for a header section over the decoder's limit, 414 for
   * a request line over it, 400 for anything else (an invalid character, a bad chunk).
   */
  static HttpResponseStatus undecodableStatus(Throwable cause) {
    if (cause instanceof TooLongHttpHeaderException) {
      return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
    }
    if (cause instanceof TooLongHttpLineException) {
      return HttpResponseStatus.REQUEST_URI_TOO_LONG;
    }
    return HttpResponseStatus.BAD_REQUEST;
  }

  /**
   * Refuses a request (or part of one) that Netty could not decode, before anything reads it: a header after an
   * invalid one or past the size limit was dropped, so nothing may be decided on what is left (issue 13, item 3).
   * Releases {@code msg}, answers {@link #undecodableStatus} with {@code Connection: close} and closes the channel.
   * Every wsauth handler that meets such a request answers it through here, so the answers are the same.
   */
  static void refuseUndecodable(ChannelHandlerContext ctx, HttpObject msg) {
    HttpVersion version = msg instanceof HttpRequest ? ((HttpRequest) msg).protocolVersion() : HttpVersion.HTTP_1_1;
    int status = undecodableStatus(msg.decoderResult().cause()).code();
    ReferenceCountUtil.release(msg);
    ctx.writeAndFlush(rejection(version, WebSocketHandshake.undecodable(status).httpResponse()))
        .addListener(ChannelFutureListener.CLOSE);
  }

  /** The path part of a request target, for the non-WebSocket handlers. */
  static String path(String uri) {
    return UpgradeRequest.builder().requestTarget(uri).build().path();
  }

  /** Core's rendering of a refused upgrade, as a Netty response ({@code Content-Length} added for framing). */
  static FullHttpResponse rejection(HttpVersion version, HttpRejection answer) {
    ByteBuf body = Unpooled.wrappedBuffer(answer.bodyBytes());
    FullHttpResponse response = new DefaultFullHttpResponse(version, HttpResponseStatus.valueOf(answer.status()), body);
    HttpHeaders h = response.headers();
    for (HttpRejection.Header header : answer.headers()) {
      h.add(header.name(), header.value());
    }
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    return response;
  }

  /** A short {@code text/plain} answer that is never cached (the cookie bridge's answers). */
  static FullHttpResponse textResponse(HttpVersion version, HttpResponseStatus status, String text) {
    ByteBuf body = Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(version, status, body);
    HttpHeaders h = response.headers();
    h.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    h.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    h.set("X-Content-Type-Options", "nosniff");
    return response;
  }
}
