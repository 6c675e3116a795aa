package io.github.wsauth.jakarta.tunnel;

import jakarta.servlet.ServletRequest;

/**
 * A stand-in for Jetty 12's classes that {@code UpgradeRequests.connectProtocol} reads the {@code :protocol} of an
 * HTTP/2 CONNECT from by reflection ({@code ServletContextRequest.getServletContextRequest}, {@code
 * Request.getTunnelSupport}, {@code TunnelSupport.getProtocol}), for unit tests without Jetty on the class path.
 * The servlet request carries its core request as the attribute {@link #CORE}.
 */
public final class FakeContainer {
  /** The request attribute holding the {@link CoreRequest}. */
  public static final String CORE = "fake.core";

  private FakeContainer() {}

  /** Like Jetty's {@code ServletContextRequest.getServletContextRequest}: the core request of a servlet request. */
  public static CoreRequest getServletContextRequest(ServletRequest request) {
    return (CoreRequest) request.getAttribute(CORE);
  }

  /** Like Jetty's {@code org.eclipse.jetty.server.Request}. */
  public interface CoreRequest {
    /** Null when the request is no CONNECT tunnel. */
    Tunnel getTunnelSupport();
  }

  /** Like Jetty's {@code TunnelSupport}. */
  public interface Tunnel {
    /** The {@code :protocol}, or null. */
    String getProtocol();
  }

  /** A container environment whose lookup fails, as Jetty's ee10 does for an ee11 request. */
  public static final class Refusing {
    private Refusing() {}

    /** Throws, as Jetty does for a request it does not know. */
    public static CoreRequest getServletContextRequest(ServletRequest request) {
      throw new IllegalStateException("not a request of this environment");
    }
  }
}
