/**
 * Connection lifetime: revocations and the bus that carries them to every node.
 *
 * <p>A {@link io.github.wsauth.lifetime.Revocation} names a subject or a token id; a
 * {@link io.github.wsauth.lifetime.RevocationBus} delivers each one published on any node to the listeners of
 * every node (this one included), so each node can close its matching live connections.
 */
package io.github.wsauth.lifetime;
