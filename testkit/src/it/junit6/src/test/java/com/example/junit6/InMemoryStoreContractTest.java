package com.example.junit6;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.wsauth.store.TokenStore;
import io.github.wsauth.testkit.MutableClock;
import io.github.wsauth.testkit.TokenStoreContractTest;
import org.junit.jupiter.api.Test;

/** wsauth's contract kit, run by JUnit 6 against the in-memory store, as a user's project would. */
class InMemoryStoreContractTest extends TokenStoreContractTest {
  @Override
  protected TokenStore createStore(MutableClock clock) {
    return TokenStore.inMemory(clock);
  }

  /** The kit ran on the project's JUnit, not on one the testkit brought along. */
  @Test
  void runsOnTheProjectsJUnit() {
    assertEquals(System.getProperty("junit.expected"), Test.class.getPackage().getImplementationVersion());
  }
}
