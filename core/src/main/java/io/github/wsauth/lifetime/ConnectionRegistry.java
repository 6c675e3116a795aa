package io.github.wsauth.lifetime;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.wsauth.Identity;

/**
 * The live authenticated connections of this node, found by subject and by token id, so a {@link Revoker} can
 * close them. The adapters register each connection when it is authenticated and unregister it when it closes;
 * share one registry between every adapter config and the {@link Revoker} of a server.
 *
 * <pre>{@code
 * ConnectionRegistry registry = new ConnectionRegistry();
 * Revoker revoker = Revoker.builder().store(store).bus(RevocationBus.inProcess()).registry(registry).build();
 * // adapters: WsAuthConfig.builder()...lifetime(ConnectionLifetime.builder().registry(registry).build())
 * int closed = revoker.revokeSubject("alice");   // closes alice's live connections on every node
 * }</pre>
 *
 * <p>Thread-safe; {@link #register} and {@link Registration#unregister()} take constant time (hash sets keyed by
 * subject and by token id, removed when empty, so nothing is left behind). It holds identities and close
 * callbacks, never a token.
 */
public final class ConnectionRegistry {

  /** Closes one live connection with a WebSocket close code and reason; called on the revoking thread. */
  @FunctionalInterface
  public interface Closer {
    /** Sends a close frame with {@code code} and {@code reason}, then closes; must not block. */
    void close(int code, String reason);
  }

  /**
   * One registered connection. Unregister it when the connection closes (the adapters do); unregistering twice
   * does nothing.
   */
  public interface Registration {
    /** The identity the connection is authenticated as now (it changes on in-band re-authentication). */
    Identity identity();

    /** The id of the token that authenticated the connection last, if known. */
    Optional<String> tokenId();

    /** Closes the connection with {@code code} and {@code reason}; only the first call reaches it. */
    void close(int code, String reason);

    /** Removes the connection from the registry. */
    void unregister();
  }

  private final Map<String, Set<Entry>> bySubject = new ConcurrentHashMap<>();
  private final Map<String, Set<Entry>> byTokenId = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();

  /** An empty registry. */
  public ConnectionRegistry() {}

  /**
   * Registers a live connection authenticated as {@code identity} by the token {@link Identity#tokenId()} names.
   *
   * @param closer how to close the connection
   * @return the handle that unregisters it
   */
  public Registration register(Identity identity, Closer closer) {
    Entry e = new Entry(Objects.requireNonNull(identity, "identity must not be null"),
        Objects.requireNonNull(closer, "closer must not be null"));
    synchronized (e) {
      add(bySubject, identity.subject(), e);
      identity.tokenId().ifPresent(id -> add(byTokenId, id, e));
      size.incrementAndGet();
    }
    return e;
  }

  /** The live connections of {@code subject}, a snapshot; empty if none. */
  public List<Registration> bySubject(String subject) {
    return snapshot(bySubject, Objects.requireNonNull(subject, "subject must not be null"));
  }

  /** The live connections authenticated by the token {@code tokenId}, a snapshot; empty if none. */
  public List<Registration> byTokenId(String tokenId) {
    return snapshot(byTokenId, Objects.requireNonNull(tokenId, "tokenId must not be null"));
  }

  /** How many connections are registered. */
  public int size() {
    return size.get();
  }

  /** How many subjects and token ids are indexed (for the leak test: 0 when empty). */
  int indexedKeys() {
    return bySubject.size() + byTokenId.size();
  }

  private static List<Registration> snapshot(Map<String, Set<Entry>> index, String key) {
    Set<Entry> set = index.get(key);
    return set == null ? List.of() : List.copyOf(set);
  }

  private static void add(Map<String, Set<Entry>> index, String key, Entry e) {
    index.compute(key, (k, set) -> {
      Set<Entry> s = set == null ? ConcurrentHashMap.newKeySet(2) : set;
      s.add(e);
      return s;
    });
  }

  private static void remove(Map<String, Set<Entry>> index, String key, Entry e) {
    // compute: removing the last entry and dropping the empty set is one step, so a concurrent add is never lost
    index.computeIfPresent(key, (k, set) -> {
      set.remove(e);
      return set.isEmpty() ? null : set;
    });
  }

  /** The registration; identity changes only under its own lock, together with the indexes. */
  private final class Entry implements Registration {
    private final Closer closer;
    private volatile Identity identity;
    private boolean registered = true;
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

    Entry(Identity identity, Closer closer) {
      this.identity = identity;
      this.closer = closer;
    }

    @Override
    public Identity identity() {
      return identity;
    }

    @Override
    public Optional<String> tokenId() {
      return identity.tokenId();
    }

    @Override
    public void close(int code, String reason) {
      closeOnce(code, reason);
    }

    boolean closeOnce(int code, String reason) {
      if (!closing.compareAndSet(false, true)) {
        return false;
      }
      closer.close(code, reason);
      return true;
    }

    @Override
    public synchronized void unregister() {
      if (!registered) {
        return;
      }
      registered = false;
      remove(bySubject, identity.subject(), this);
      identity.tokenId().ifPresent(id -> remove(byTokenId, id, this));
      size.decrementAndGet();
    }

    /** In-band re-authentication: the same subject, a new token id. */
    synchronized void update(Identity next) {
      if (!registered) {
        identity = next;
        return;
      }
      Optional<String> before = identity.tokenId();
      Optional<String> after = next.tokenId();
      identity = next;
      if (!before.equals(after)) {
        before.ifPresent(id -> remove(byTokenId, id, this));
        after.ifPresent(id -> add(byTokenId, id, this));
      }
    }

    ConnectionRegistry owner() {
      return ConnectionRegistry.this;
    }

    @Override
    public String toString() {
      return "Registration[" + identity + "]";
    }
  }

  /**
   * Moves a registration to a re-authenticated identity of the same subject (its token id is re-indexed).
   *
   * @throws IllegalArgumentException if the subject differs or the registration is not from this registry
   */
  public void update(Registration registration, Identity identity) {
    Objects.requireNonNull(identity, "identity must not be null");
    if (!(registration instanceof Entry e) || e.owner() != this) {
      throw new IllegalArgumentException("not a registration of this registry");
    }
    if (!e.identity().subject().equals(identity.subject())) {
      throw new IllegalArgumentException("a registration keeps its subject");
    }
    e.update(identity);
  }

  /** Closes {@code registration} unless it was closed before; whether this call closed it. */
  static boolean closeOnce(Registration registration, int code, String reason) {
    if (registration instanceof Entry e) {
      return e.closeOnce(code, reason);
    }
    registration.close(code, reason);
    return true;
  }

  @Override
  public String toString() {
    return "ConnectionRegistry[size=" + size() + "]";
  }
}
