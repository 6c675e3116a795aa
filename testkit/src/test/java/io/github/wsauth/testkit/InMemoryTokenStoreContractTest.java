package io.github.wsauth.testkit;

import io.github.wsauth.store.TokenStore;

/** The in-memory store keeps the {@link TokenStore} contract. */
class InMemoryTokenStoreContractTest extends TokenStoreContractTest {
  @Override
  protected TokenStore createStore(MutableClock clock) {
    return TokenStore.inMemory(clock);
  }
}
