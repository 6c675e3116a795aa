/**
 * wsauth for Spring Boot: auto-configuration from {@code wsauth.*} properties, authentication before the upgrade
 * for {@code WebSocketHandler} and {@code @ServerEndpoint} endpoints, STOMP {@code CONNECT} authentication and
 * Micrometer metrics.
 */
package io.github.wsauth.spring;
