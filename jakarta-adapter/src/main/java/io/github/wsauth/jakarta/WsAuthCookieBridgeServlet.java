package io.github.wsauth.jakarta;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

import io.github.wsauth.CookieBridge;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Serves core's {@link CookieBridge} on a servlet container: the bridge page and scripts, and {@code POST
 * <path>/cookie}, which sets the credential cookie that {@link io.github.wsauth.CredentialExtractor#cookie} then
 * reads in {@link WsAuthFilter}. Every answer (status, headers, body) is core's, the same as Netty's {@code
 * cookieBridgeHandler}.
 *
 * <pre>{@code
 * CookieBridge bridge = CookieBridge.builder().parentOrigin("https://app.example").cookiePath("/chat").build();
 * WsAuthCookieBridgeServlet.install(servletContext, bridge);   // serves /wsauth/*
 * }</pre>
 *
 * <p>Stateless and thread-safe; reads at most {@link CookieBridge#MAX_BODY_BYTES} + 1 bytes of a body.
 */
public final class WsAuthCookieBridgeServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  /** Not serialisable state: a container that serialises servlets gets a fresh install instead. */
  private final transient CookieBridge bridge;

  /** A servlet answering for {@code bridge}; map it to {@code bridge.path() + "/*"} (or use {@link #install}). */
  public WsAuthCookieBridgeServlet(CookieBridge bridge) {
    this.bridge = Objects.requireNonNull(bridge, "bridge must not be null");
  }

  /**
   * Registers a bridge servlet for {@code bridge} under {@code bridge.path() + "/*"} in {@code context}, from a
   * {@code ServletContainerInitializer} or a {@code ServletContextListener}.
   *
   * @return the servlet registered
   * @throws IllegalStateException if a servlet of that name is already registered
   */
  public static WsAuthCookieBridgeServlet install(ServletContext context, CookieBridge bridge) {
    Objects.requireNonNull(context, "context must not be null");
    WsAuthCookieBridgeServlet servlet = new WsAuthCookieBridgeServlet(bridge);
    ServletRegistration.Dynamic registration = context.addServlet("wsauth-cookie-bridge", servlet);
    if (registration == null) {
      throw new IllegalStateException("a servlet named wsauth-cookie-bridge is already registered");
    }
    String path = bridge.path();
    registration.addMapping("/".equals(path) ? "/*" : path + "/*");
    return servlet;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String target = request.getRequestURI().substring(request.getContextPath().length());
    if (request.getQueryString() != null) {
      target += "?" + request.getQueryString();
    }
    if (!bridge.covers(target.split("\\?", 2)[0])) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND); // mapped elsewhere than its bridge path
      return;
    }
    CookieBridge.Response answer = bridge.answer(new CookieBridge.Request(request.getMethod(), target,
        UpgradeRequests.headers(request), body(request), request.isSecure()));
    response.setStatus(answer.status());
    answer.headers().forEach((name, value) -> {
      if ("Content-Length".equalsIgnoreCase(name)) {
        response.setContentLengthLong(Long.parseLong(value));
      } else {
        response.setHeader(name, value);
      }
    });
    byte[] body = answer.body();
    if (body.length > 0) {
      try (OutputStream out = response.getOutputStream()) {
        out.write(body);
      }
    }
  }

  /** The body, at most one byte past the cap: enough to refuse an oversized token without reading it. */
  private static byte[] body(HttpServletRequest request) throws IOException {
    if (!"POST".equals(request.getMethod())) {
      return new byte[0];
    }
    try (InputStream in = request.getInputStream()) {
      return in.readNBytes(CookieBridge.MAX_BODY_BYTES + 1);
    }
  }

  @Override
  public String toString() {
    return "WsAuthCookieBridgeServlet[" + bridge + "]";
  }
}
