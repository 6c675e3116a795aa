/**
 * wsauth for Jakarta WebSocket (Tomcat, Jetty, Tyrus, any Jakarta WebSocket 2.1+ container).
 *
 * <ul>
 *   <li>{@link io.github.wsauth.jakarta.WsAuthConfigurator}: a {@code ServerEndpointConfig.Configurator} that checks
 *       the {@code Origin}, authenticates the handshake and stores the {@link io.github.wsauth.Identity} in the
 *       per-connection user properties under {@link io.github.wsauth.jakarta.JakartaWsAuth#IDENTITY_KEY}.</li>
 *   <li>{@link io.github.wsauth.jakarta.WsAuthFilter}: a servlet filter that answers real HTTP 400/401/403/503
 *       before the upgrade on servlet containers, and hands its decision to the configurator of the same
 *       configuration (a single-use token is verified once); {@code WsAuthFilter.install} puts it in front of the
 *       upgrade on Tomcat and Jetty for exactly the named endpoint paths.</li>
 *   <li>{@link io.github.wsauth.jakarta.WsAuthEndpoint}: wraps an application endpoint (programmatic or annotated)
 *       so it only ever sees authenticated sessions: first-message authentication, and closing on expiry.</li>
 *   <li>{@link io.github.wsauth.jakarta.WsAuthClientConfigurator}: adds a credential to a client's handshake.</li>
 *   <li>{@link io.github.wsauth.jakarta.JakartaWsAuth}: {@code identity(Session)} and the documented keys.</li>
 * </ul>
 *
 * <p>The Jakarta WebSocket and Servlet APIs are {@code provided} dependencies: the container supplies them.
 */
package io.github.wsauth.jakarta;
