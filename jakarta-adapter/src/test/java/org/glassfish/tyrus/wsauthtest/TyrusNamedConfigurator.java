package org.glassfish.tyrus.wsauthtest;

import jakarta.websocket.server.ServerEndpointConfig;

/**
 * A container default configurator whose class name is in Tyrus's package, so that unit tests can run {@code
 * WsAuthConfigurator}'s Tyrus path (origin checked in {@code modifyHandshake}) without Tyrus on the classpath.
 */
public final class TyrusNamedConfigurator extends ServerEndpointConfig.Configurator {
}
