/**
 * Test kit for wsauth: {@link io.github.wsauth.testkit.TokenStoreContractTest}, the contract every {@link
 * io.github.wsauth.store.TokenStore} must keep, and {@link io.github.wsauth.testkit.MutableClock} for expiry tests
 * without sleeping.
 */
package io.github.wsauth.testkit;
