/**
 * Token stores beyond the in-memory one: {@link io.github.wsauth.store.JdbcTokenStore} keeps token state in a
 * database table so that several server processes share it (a token issued through one node is consumable exactly
 * once on any node). Stores here keep only SHA-256 hashes of tokens, never the tokens.
 */
package io.github.wsauth.store;
