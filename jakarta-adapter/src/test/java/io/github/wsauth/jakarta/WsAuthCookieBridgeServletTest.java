package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.same;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.wsauth.CookieBridge;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * The bridge servlet against containers that hand over headers oddly (a seam of the servlet API; the real
 * containers are in {@code TomcatCookieBridgeTest} and {@code JettyCookieBridgeTest}).
 */
class WsAuthCookieBridgeServletTest {
  private final CookieBridge bridge = CookieBridge.builder().parentOrigin("https://app.example").build();

  /** A servlet input stream over {@code body}. */
  private static ServletInputStream input(byte[] body) {
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    return new ServletInputStream() {
      @Override
      public int read() {
        return in.read();
      }

      @Override
      public boolean isFinished() {
        return in.available() == 0;
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setReadListener(ReadListener listener) {}
    };
  }

  private static HttpServletRequest post(byte[] body) throws IOException {
    HttpServletRequest r = mock(HttpServletRequest.class);
    when(r.getMethod()).thenReturn("POST");
    when(r.getContextPath()).thenReturn("");
    when(r.getRequestURI()).thenReturn("/wsauth/cookie");
    when(r.getInputStream()).thenReturn(input(body));
    return r;
  }

  private static HttpServletResponse response() throws IOException {
    return response(new ByteArrayOutputStream());
  }

  @Test
  void post_fromAContainerThatHidesHeaderNames_isRefusedByTheBridge_notA500() throws IOException {
    HttpServletRequest request = post("token".getBytes());
    when(request.getHeaderNames()).thenReturn(null); // allowed by the servlet API: "container does not allow access"
    HttpServletResponse response = response();
    new WsAuthCookieBridgeServlet(bridge).service(request, response);
    ArgumentCaptor<Integer> status = ArgumentCaptor.forClass(Integer.class);
    verify(response).setStatus(status.capture());
    assertThat(status.getValue()).as("no Origin is visible: the CSRF check refuses").isEqualTo(403);
    verify(response, never()).setHeader(org.mockito.ArgumentMatchers.eq("Set-Cookie"),
        org.mockito.ArgumentMatchers.anyString());
  }

  @Test
  void post_withANullHeaderValue_dropsIt_andTheBridgeStillDecides() throws IOException {
    HttpServletRequest request = post("token".getBytes());
    when(request.getHeaderNames()).thenAnswer(i -> Collections.enumeration(List.of("Origin")));
    when(request.getHeaders("Origin")).thenAnswer(i -> Collections.enumeration(
        java.util.Arrays.asList(null, "https://evil.example")));
    HttpServletResponse response = response();
    new WsAuthCookieBridgeServlet(bridge).service(request, response);
    ArgumentCaptor<Integer> status = ArgumentCaptor.forClass(Integer.class);
    verify(response).setStatus(status.capture());
    assertThat(status.getValue()).as("the foreign origin, not a null pointer, decides").isEqualTo(403);
  }

  private static final String SELF = "http://ws.example:8080";
  private static final String TOKEN = "dGhlLXRva2Vu-_.~+/=";

  /** A request as a container hands it over: path, optional query, headers (name, value pairs) and body. */
  private static HttpServletRequest request(String method, String uri, String query, String body,
      String... headers) throws IOException {
    HttpServletRequest r = mock(HttpServletRequest.class);
    when(r.getMethod()).thenReturn(method);
    when(r.getContextPath()).thenReturn("/app");
    when(r.getRequestURI()).thenReturn("/app" + uri);
    when(r.getQueryString()).thenReturn(query);
    Map<String, List<String>> h = new LinkedHashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      h.computeIfAbsent(headers[i], k -> new java.util.ArrayList<>()).add(headers[i + 1]);
    }
    when(r.getHeaderNames()).thenAnswer(i -> Collections.enumeration(h.keySet()));
    when(r.getHeaders(anyString())).thenAnswer(i -> Collections.enumeration(h.getOrDefault(i.getArgument(0),
        List.of())));
    if (body != null) {
      when(r.getInputStream()).thenReturn(input(body.getBytes(StandardCharsets.UTF_8)));
    }
    return r;
  }

  /** A response whose body lands in {@code out}. */
  private static HttpServletResponse response(ByteArrayOutputStream out) throws IOException {
    HttpServletResponse r = mock(HttpServletResponse.class);
    when(r.getOutputStream()).thenReturn(new ServletOutputStream() {
      @Override
      public void write(int b) {
        out.write(b);
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setWriteListener(WriteListener listener) {}
    });
    return r;
  }

  @Test
  void post_valid_setsTheCookie_withCoresHeaders_andNoBody() throws IOException {
    HttpServletRequest request = request("POST", "/wsauth/cookie", null, TOKEN, "Host", "ws.example:8080",
        "Origin", SELF, "Content-Type", "text/plain;charset=UTF-8", "X-WsAuth-Max-Age", "30");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HttpServletResponse response = response(out);
    new WsAuthCookieBridgeServlet(bridge).service(request, response);
    verify(response).setStatus(204);
    verify(response).setHeader("Set-Cookie", "wsauth=" + TOKEN + "; Path=/; Max-Age=30; HttpOnly; SameSite=Strict");
    verify(response).setHeader("Cache-Control", "no-store");
    verify(response).setContentLengthLong(0);
    verify(response, never()).setHeader(eq("Content-Length"), anyString());
    verify(response, never()).getOutputStream(); // nothing to write: the response is not committed here
    verify(response, never()).sendError(anyInt());
  }

  @Test
  void get_page_withItsQuery_writesCoresPageAndHeaders() throws IOException {
    HttpServletRequest request = request("GET", "/wsauth/" + CookieBridge.PAGE, "parent=https%3A%2F%2Fapp.example",
        null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HttpServletResponse response = response(out);
    new WsAuthCookieBridgeServlet(bridge).service(request, response);
    CookieBridge.Response core = bridge.answer(new CookieBridge.Request("GET", "/wsauth/" + CookieBridge.PAGE
        + "?parent=https%3A%2F%2Fapp.example", Map.of(), new byte[0], false));
    assertThat(core.status()).isEqualTo(200);
    verify(response).setStatus(200);
    assertThat(out.toByteArray()).isEqualTo(core.body()).isNotEmpty();
    verify(response).setContentLengthLong(core.body().length);
    verify(response).setHeader("Content-Type", "text/html; charset=utf-8");
    verify(response).setHeader("Content-Security-Policy", core.headers().get("Content-Security-Policy"));
    verify(response, never()).setHeader(eq("Content-Length"), anyString());
    verify(request, never()).getInputStream(); // only a POST body is read
  }

  @Test
  void get_page_withoutQuery_isCoresRefusal_notAStrayQuery() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HttpServletResponse response = response(out);
    new WsAuthCookieBridgeServlet(bridge).service(request("GET", "/wsauth/" + CookieBridge.PAGE, null, null),
        response);
    verify(response).setStatus(400);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("exactly one parent origin required\n");
  }

  @Test
  void pathOutsideTheBridge_is404_withoutAskingTheBridge() throws IOException {
    // Mapped elsewhere by mistake: "/wsauth" itself, or a sibling whose name starts the same.
    for (String uri : new String[] {"/wsauth", "/wsauthx/cookie", "/other/cookie"}) {
      HttpServletRequest request = request("GET", uri, "x=/wsauth/cookie", null);
      HttpServletResponse response = response(new ByteArrayOutputStream());
      new WsAuthCookieBridgeServlet(bridge).service(request, response);
      verify(response).sendError(404);
      verify(response, never()).setStatus(anyInt());
      verify(response, never()).setHeader(anyString(), anyString());
      verify(response, never()).setContentLengthLong(anyLong());
    }
  }

  @Test
  void install_mapsTheBridgePath_andReturnsTheRegisteredServlet() {
    ServletContext context = mock(ServletContext.class);
    ServletRegistration.Dynamic registration = mock(ServletRegistration.Dynamic.class);
    when(context.addServlet(eq("wsauth-cookie-bridge"), org.mockito.ArgumentMatchers.any(
        jakarta.servlet.Servlet.class))).thenReturn(registration);
    WsAuthCookieBridgeServlet servlet = WsAuthCookieBridgeServlet.install(context, bridge);
    assertThat(servlet).isNotNull();
    verify(context).addServlet(eq("wsauth-cookie-bridge"), same(servlet));
    verify(registration).addMapping("/wsauth/*");

    ServletRegistration.Dynamic root = mock(ServletRegistration.Dynamic.class);
    when(context.addServlet(eq("wsauth-cookie-bridge"), org.mockito.ArgumentMatchers.any(
        jakarta.servlet.Servlet.class))).thenReturn(root);
    WsAuthCookieBridgeServlet.install(context, CookieBridge.builder().parentOrigin("https://app.example").path("/")
        .build());
    verify(root).addMapping("/*");
  }

  @Test
  void install_twice_isRefused() {
    ServletContext context = mock(ServletContext.class); // addServlet answers null: the name is taken
    assertThatThrownBy(() -> WsAuthCookieBridgeServlet.install(context, bridge))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a servlet named wsauth-cookie-bridge is already registered");
  }

  @Test
  void toString_namesTheBridge() {
    assertThat(new WsAuthCookieBridgeServlet(bridge)).hasToString("WsAuthCookieBridgeServlet[" + bridge + "]");
  }
}
