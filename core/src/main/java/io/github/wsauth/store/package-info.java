/**
 * The token store SPI and its stores: {@link io.github.wsauth.store.TokenStore} (with
 * {@link io.github.wsauth.store.TokenStore#inMemory(java.time.Clock)} for one process), its values
 * ({@link io.github.wsauth.store.StoredToken}, {@link io.github.wsauth.store.TokenLookup},
 * {@link io.github.wsauth.store.TokenHash}) and failures
 * ({@link io.github.wsauth.store.TokenStoreUnavailableException}, {@link io.github.wsauth.store.TokenStoreFullException}),
 * and {@link io.github.wsauth.store.JdbcTokenStore}, which keeps token state in a database table so that several
 * server processes share it (a token issued through one node is consumable exactly once on any node). Stores keep
 * only SHA-256 hashes of tokens, never the tokens. Implement {@code TokenStore} for another backend and run
 * {@code wsauth-testkit}'s contract test against it.
 */
package io.github.wsauth.store;
