package io.github.wsauth.jwt;

import java.util.concurrent.ConcurrentHashMap;

/**
 * What the key selector and the verifier factory keep per key: a value derived from an immutable object (a JWK, a
 * Java key) for one {@link KeyBinding}, found by the object's identity, so equal-looking objects never share an
 * entry. Bounded at {@value #MAX_ENTRIES} entries, far more keys than any JWK Set holds at once: when full it is
 * cleared, which drops the entries of objects a refreshed key source no longer hands out. Thread-safe.
 */
final class IdentityCache<V> {
  static final int MAX_ENTRIES = 64;

  private final ConcurrentHashMap<Ref, V> entries = new ConcurrentHashMap<>();

  /** The value kept for {@code object} and {@code binding}, or null. */
  V get(Object object, KeyBinding binding) {
    return entries.get(new Ref(object, binding));
  }

  /** Keeps {@code value} for {@code object} and {@code binding}, first clearing the cache if it is full. */
  void put(Object object, KeyBinding binding, V value) {
    if (entries.size() >= MAX_ENTRIES) {
      entries.clear();
    }
    entries.put(new Ref(object, binding), value);
  }

  /** How many entries are kept; for tests of the bound. */
  int size() {
    return entries.size();
  }

  /** An object, by identity, and a binding. */
  private record Ref(Object object, KeyBinding binding) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Ref r && r.object == object && r.binding == binding;
    }

    @Override
    public int hashCode() {
      return 31 * System.identityHashCode(object) + binding.hashCode();
    }
  }
}
