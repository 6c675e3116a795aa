/**
 * Machine-to-machine clients for the demo, written with the JDK's {@code java.net.http.WebSocket} only: {@link
 * io.github.wsauth.examples.clients.BasicUserInfoClient} takes Basic credentials from a URI's user info, {@link
 * io.github.wsauth.examples.clients.BearerClient} sends {@code Authorization: Bearer}. Both fetch a fresh token
 * from the demo app's {@code POST /api/token} first.
 */
package io.github.wsauth.examples.clients;
