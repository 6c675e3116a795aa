package io.github.wsauth;

import io.github.wsauth.store.TokenStore;
import io.github.wsauth.store.StoredToken;
import io.github.wsauth.store.TokenLookup;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.store.TokenStoreUnavailableException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A recording fake {@link TokenStore}: delegates to a real store until {@link #failing} is set, after which every
 * operation records its name and throws {@link TokenStoreUnavailableException} without touching the real store.
 */
final class FailingTokenStore implements TokenStore {
  static final String FAILURE_MESSAGE = "simulated database outage";

  private final TokenStore real;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  volatile boolean failing;
  /** Makes {@link #saveIfAbsent} report an existing live entry, as a broken random source would cause. */
  volatile boolean colliding;

  FailingTokenStore(TokenStore real) {
    this.real = real;
  }

  List<String> calls() {
    return calls;
  }

  private void check(String operation) {
    calls.add(operation);
    if (failing) {
      throw new TokenStoreUnavailableException(FAILURE_MESSAGE);
    }
  }

  @Override
  public boolean saveIfAbsent(StoredToken token) {
    check("saveIfAbsent");
    return !colliding && real.saveIfAbsent(token);
  }

  @Override
  public TokenLookup find(TokenHash hash) {
    check("find");
    return real.find(hash);
  }

  @Override
  public TokenLookup consume(TokenHash hash) {
    check("consume");
    return real.consume(hash);
  }

  @Override
  public boolean revoke(TokenHash hash) {
    check("revoke");
    return real.revoke(hash);
  }

  @Override
  public int revokeAll(String subject) {
    check("revokeAll");
    return real.revokeAll(subject);
  }

  @Override
  public int purgeExpired() {
    check("purgeExpired");
    return real.purgeExpired();
  }
}
