package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.List;

import io.github.wsauth.CookieBridge;
import jakarta.servlet.ReadListener;
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

  private static HttpServletRequest post(byte[] body) throws IOException {
    HttpServletRequest r = mock(HttpServletRequest.class);
    when(r.getMethod()).thenReturn("POST");
    when(r.getContextPath()).thenReturn("");
    when(r.getRequestURI()).thenReturn("/wsauth/cookie");
    ByteArrayInputStream in = new ByteArrayInputStream(body);
    when(r.getInputStream()).thenReturn(new ServletInputStream() {
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
    });
    return r;
  }

  private static HttpServletResponse response() throws IOException {
    HttpServletResponse r = mock(HttpServletResponse.class);
    when(r.getOutputStream()).thenReturn(new ServletOutputStream() {
      @Override
      public void write(int b) {}

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
}
