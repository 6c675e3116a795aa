package io.github.wsauth.lifetime;

import java.util.function.Consumer;

/**
 * Carries revocations to every node: a revocation published on any node reaches the listeners subscribed on
 * every node, this one included.
 *
 * <p>{@link #inProcess()} serves a single process. A bus for several processes (such as one over PostgreSQL
 * {@code LISTEN/NOTIFY}) must not lose a revocation published while a node was cut off: it delivers it when the
 * node is back.
 *
 * <p>Implementations are thread-safe. Listeners are called on a thread of the bus and must not block.
 */
public interface RevocationBus extends AutoCloseable {

  /**
   * Publishes {@code revocation} to every node.
   *
   * @throws io.github.wsauth.store.TokenStoreUnavailableException if the bus cannot accept it now (nothing was
   *     published; the caller may retry)
   */
  void publish(Revocation revocation);

  /**
   * Calls {@code listener} for every revocation published from now on, on any node.
   *
   * @return closing it stops the calls
   */
  AutoCloseable subscribe(Consumer<Revocation> listener);

  /** Stops delivering; a closed bus refuses to publish. */
  @Override
  void close();

  /** A bus for one process: {@link #publish} calls this process's listeners before it returns. */
  static RevocationBus inProcess() {
    return new InProcessRevocationBus();
  }
}
