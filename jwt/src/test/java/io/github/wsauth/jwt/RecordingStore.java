package io.github.wsauth.jwt;

import io.github.wsauth.store.StoredToken;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.store.TokenLookup;
import io.github.wsauth.store.TokenStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A fake store: the real in-memory store underneath, every saveIfAbsent recorded, optionally failing. */
final class RecordingStore implements TokenStore {
  final TokenStore delegate;
  final List<StoredToken> saved = new CopyOnWriteArrayList<>();
  final AtomicInteger calls = new AtomicInteger();
  volatile RuntimeException failure;

  RecordingStore(TokenStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public boolean saveIfAbsent(StoredToken token) {
    calls.incrementAndGet();
    if (failure != null) {
      throw failure;
    }
    boolean added = delegate.saveIfAbsent(token);
    if (added) {
      saved.add(token);
    }
    return added;
  }

  @Override
  public TokenLookup find(TokenHash hash) {
    calls.incrementAndGet();
    return delegate.find(hash);
  }

  @Override
  public TokenLookup consume(TokenHash hash) {
    calls.incrementAndGet();
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
