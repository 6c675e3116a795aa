package io.github.wsauth.lifetime;

import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** {@link RevocationBus#inProcess()}: listeners in a copy-on-write list, called on the publishing thread. */
final class InProcessRevocationBus implements RevocationBus {

  private static final Logger LOG = Logger.getLogger(RevocationBus.class.getName());

  private final CopyOnWriteArrayList<Consumer<Revocation>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  @Override
  public void publish(Revocation revocation) {
    Objects.requireNonNull(revocation, "revocation must not be null");
    if (closed) {
      throw new IllegalStateException("revocation bus is closed");
    }
    for (Consumer<Revocation> listener : listeners) {
      try {
        listener.accept(revocation);
      } catch (RuntimeException e) {
        // one failing listener must not keep the others from closing their connections
        LOG.log(Level.WARNING, "revocation listener failed: {0}", e.getClass().getName());
      }
    }
  }

  @Override
  public AutoCloseable subscribe(Consumer<Revocation> listener) {
    Objects.requireNonNull(listener, "listener must not be null");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public void close() {
    closed = true;
    listeners.clear();
  }
}
