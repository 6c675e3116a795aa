package io.github.wsauth.netty;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

import io.github.wsauth.UpgradeRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/** Translation between Netty's HTTP objects and wsauth's framework-free request view. */
final class NettyRequests {
  private NettyRequests() {}

  /** The framework-free view of a Netty request, with every header value and the peer address. */
  static UpgradeRequest toUpgradeRequest(HttpRequest request, SocketAddress remote) {
    UpgradeRequest.Builder b = UpgradeRequest.builder().requestTarget(request.uri());
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
   * Whether the request tries to open a WebSocket: an {@code Upgrade} header naming websocket, or any {@code
   * Sec-WebSocket-*} header. Deliberately broader than a valid handshake: whatever Netty's handshaker might
   * accept must be authenticated first.
   */
  static boolean isUpgradeAttempt(HttpRequest request) {
    // One pass, no copies: the decoder reads header bytes as ISO-8859-1, so ASCII case folding is exact here.
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = request.headers().iteratorCharSequence();
        it.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> header = it.next();
      CharSequence name = header.getKey();
      if (name.length() >= 14 && AsciiString.regionMatches(name, true, 0, "sec-websocket-", 0, 14)) {
        return true;
      }
      if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.UPGRADE)
          && AsciiString.containsIgnoreCase(header.getValue(), "websocket")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the request target is the WebSocket path: Netty's own rule for {@code WebSocketServerProtocolHandler}
   * (raw URI, {@code checkStartsWith}), or the same path after parsing (absolute-form targets), so every request
   * Netty upgrades is matched.
   */
  static boolean isWebSocketPath(String uri, String websocketPath, boolean checkStartsWith) {
    if (nettyMatches(uri, websocketPath, checkStartsWith)) {
      return true;
    }
    String path = UpgradeRequest.builder().requestTarget(uri).build().path();
    return path.equals(websocketPath)
        || (checkStartsWith && ("/".equals(websocketPath) || path.startsWith(websocketPath + "/")));
  }

  private static boolean nettyMatches(String uri, String websocketPath, boolean checkStartsWith) {
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

  /** The path part of a request target, for the non-WebSocket handlers. */
  static String path(String uri) {
    return UpgradeRequest.builder().requestTarget(uri).build().path();
  }

  /** A short {@code text/plain} answer that is never cached. */
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
