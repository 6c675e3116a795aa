package io.github.wsauth.scenarios;

import java.util.concurrent.atomic.AtomicInteger;

import io.github.wsauth.store.StoredToken;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.store.TokenLookup;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.store.TokenStoreUnavailableException;

/**
 * A token store fake both adapters' tests share: a real store behind a switch that takes it "down" (every call
 * throws {@link TokenStoreUnavailableException}), counting the consumes that reached the real store.
 */
public final class SwitchableTokenStore implements TokenStore {
  private final TokenStore delegate;
  private final AtomicInteger consumes = new AtomicInteger();
  private final AtomicInteger failedCalls = new AtomicInteger();
  private volatile boolean down;

  /** Wraps {@code delegate}, up. */
  public SwitchableTokenStore(TokenStore delegate) {
    this.delegate = delegate;
  }

  /** Takes the store down, or brings it back. */
  public void down(boolean down) {
    this.down = down;
  }

  /** The consumes that reached the real store (not those refused while down). */
  public int consumes() {
    return consumes.get();
  }

  /** The calls refused while down. */
  public int failedCalls() {
    return failedCalls.get();
  }

  /** Whether {@code token} is still unused, looked up past the switch. */
  public boolean isUnused(String token) {
    return delegate.find(TokenHash.of(token)).status() == TokenLookup.Status.VALID;
  }

  private void check() {
    if (down) {
      failedCalls.incrementAndGet();
      throw new TokenStoreUnavailableException("test store is down");
    }
  }

  @Override
  public boolean saveIfAbsent(StoredToken token) {
    check();
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
    check();
    return delegate.revoke(hash);
  }

  @Override
  public int revokeAll(String subject) {
    check();
    return delegate.revokeAll(subject);
  }

  @Override
  public int purgeExpired() {
    check();
    return delegate.purgeExpired();
  }
}
