package org.glassfish.tyrus.wsauthtest;

import jakarta.websocket.server.ServerEndpointConfig;

/**
 * A container default configurator whose class name is in Tyrus's package, so that unit tests can run {@code
 * WsAuthConfigurator}'s Tyrus path (origin checked in {@code modifyHandshake}) without Tyrus on the classpath.
 *
 * <p>Why this class is in a foreign package (kept on purpose): {@code WsAuthConfigurator} recognises Tyrus only by
 * the name of the container's default configurator ({@code org.glassfish.tyrus.*}), so that it never loads a Tyrus
 * type. The unit tests and the PIT run of {@code WsAuthConfiguratorTest} have no Tyrus on the class path (the
 * default surefire execution excludes {@code org.glassfish.tyrus:*}), so a class in a wsauth test package would
 * take the non-Tyrus path and prove nothing; only a name under {@code org.glassfish.tyrus.} takes that branch. The
 * real Tyrus path is also run on a real Tyrus server by {@code io.github.wsauth.jakarta.tyrus.*Test}.
 */
public final class TyrusNamedConfigurator extends ServerEndpointConfig.Configurator {
}
