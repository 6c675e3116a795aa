package io.github.wsauth.jakarta.it;

import java.util.concurrent.atomic.AtomicInteger;

import io.github.wsauth.store.StoredToken;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.store.TokenLookup;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.store.TokenStoreUnavailableException;

/** A token store fake: counts the consumes that reached the real store, and can be switched "down". */
final class CountingStore implements TokenStore {
  private final TokenStore delegate;
  private final AtomicInteger consumes = new AtomicInteger();
  private volatile boolean down;

  CountingStore(TokenStore delegate) {
    this.delegate = delegate;
  }

  int consumes() {
    return consumes.get();
  }

  void down(boolean down) {
    this.down = down;
  }

  private void check() {
    if (down) {
      throw new TokenStoreUnavailableException("test store is down");
    }
  }

  @Override
  public boolean saveIfAbsent(StoredToken token) {
    return delegate.saveIfAbsent(token);
  }

  @Override
  public TokenLookup find(TokenHash hash) {
    check();
    return delegate.find(hash);
  }

  @Override
  public TokenLookup consume(TokenHash hash) {
    check();
    consumes.incrementAndGet();
    return delegate.consume(hash);
  }

  @Override
  public boolean revoke(TokenHash hash) {
    return delegate.revoke(hash);
  }

  @Override
  public int revokeAll(String subject) {
    return delegate.revokeAll(subject);
  }

  @Override
  public int purgeExpired() {
    return delegate.purgeExpired();
  }
}
