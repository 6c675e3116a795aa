package io.github.wsauth.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.FirstMessageResult;
import io.github.wsauth.Identity;
import io.github.wsauth.TaskScheduler;

/**
 * The first-message state machine that every adapter drives, written once: the adapter turns its framework's
 * events into calls here ({@link #start()}, {@link #textFrame}, {@link #continuationFrame}, {@link #binaryFrame},
 * {@link #controlFrame}, {@link #peerClosed()}, {@link #connectionClosed()}) and carries out the {@link Transport}
 * actions it gets back (accept, deliver, discard, close with a code and reason, abort). The deadline runs on the
 * adapter's {@link TaskScheduler}.
 *
 * <p>Decisions, the same on every framework:
 * <ul>
 *   <li>The credential is the first data message after {@link #start()}. Pings and pongs are ignored and do not
 *       extend the deadline.</li>
 *   <li>A <b>fragmented</b> text message is assembled, up to the size cap, and then authenticated as if it came in
 *       one frame. RFC 6455 §5.4 lets any intermediary re-fragment a message, and Jakarta containers hand a message
 *       over in parts cut at their buffer size whatever the framing was, so refusing fragments would refuse valid
 *       clients on some paths and not on others. The cap bounds what is held.</li>
 *   <li>The <b>size</b> is counted in UTF-8 bytes of the whole message, summed over its fragments, and checked as
 *       each fragment arrives, before decoding: over the cap closes with the too-big code (1009 by default).</li>
 *   <li>A binary message, or a continuation with no message started, closes with the rejected code (1008)
 *       "authentication message must be text".</li>
 *   <li>The deadline starts at {@link #start()}; when it passes before a decision the connection closes with the
 *       timeout code (1008) "authentication timeout", even while a verification is running (fail closed).</li>
 *   <li>A store failure closes with 1011, a bad token with 1008: whatever {@link FirstMessageAuthenticator}
 *       says.</li>
 *   <li>Messages that arrive before {@link #start()} (pipelined with the upgrade request) or while the credential
 *       is being verified are held, at most {@value #MAX_HELD} of them, and handed to the application in order
 *       after acceptance, or discarded on refusal. More than that closes with 1008 "too many messages before
 *       authentication".</li>
 * </ul>
 *
 * <p>Thread-safe: decisions are taken under a lock and actions carried out after it is released, so a timer
 * thread and a framework thread may race; exactly one terminal action (accept, close, abort) is ever taken. The
 * session owns every message handle given to it: each one is delivered or discarded exactly once.
 *
 * @param <M> the adapter's message handle (e.g. a Netty frame to release or forward)
 */
public final class FirstMessageSession<M> {
  /** Messages held before the decision, at most. */
  public static final int MAX_HELD = 32;
  /** The reason of a close because too many messages were sent before authentication. */
  public static final String TOO_MANY_HELD = "too many messages before authentication";

  /** The actions an adapter carries out on its framework; called without the session's lock held. */
  public interface Transport<M> {
    /** The client is authenticated: make the identity visible and let the application see the connection. */
    void accept(Identity identity);

    /**
     * After {@link #accept}: hand a held message to the application, in order. The default does nothing, which is
     * right only for a framework that hands over one message at a time and waits for the handler to return
     * (Jakarta): no message is ever held past the credential there. An adapter whose messages can be held must
     * override it.
     */
    default void deliver(M message) {}

    /**
     * The message was consumed (the credential) or refused: release it. The default does nothing, for a framework
     * that owns its message buffers; an adapter whose messages must be released (a Netty frame) overrides it.
     */
    default void discard(M message) {}

    /** Send a close frame with this code and reason, then close. */
    void close(int code, String reason);

    /** Close without a close frame (the peer closed, or no frame can be written). */
    void abort();
  }

  private enum State { NEW, AWAITING, VERIFYING, ACCEPTED, CLOSED }

  private final FirstMessageAuthenticator authenticator;
  private final TaskScheduler timer;
  private final Transport<M> transport;
  private final ArrayDeque<Object> held = new ArrayDeque<>(2);
  private State state = State.NEW;
  private TaskScheduler.Cancellable cancelDeadline;
  /** The text message being assembled: bytes from one adapter, string parts from another. */
  private ByteBuffer bytes;
  private StringBuilder chars;
  private long size;
  private boolean pendingHighSurrogate;
  private boolean inMessage;

  /** A session that will authenticate with {@code authenticator}, time out on {@code timer}, act on {@code transport}. */
  public FirstMessageSession(FirstMessageAuthenticator authenticator, TaskScheduler timer, Transport<M> transport) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator must not be null");
    this.timer = Objects.requireNonNull(timer, "timer must not be null");
    this.transport = Objects.requireNonNull(transport, "transport must not be null");
  }

  /** A held message or event: a frame not yet looked at (before start), or one to deliver after acceptance. */
  private record Frame<M>(M handle, Kind kind, ByteBuffer payload, String part, boolean last) {}

  private enum Kind { TEXT, CONTINUATION, BINARY, CONTROL, PEER_CLOSE }

  /** The handshake is complete: start the deadline and look at what arrived before, in order. */
  public void start() {
    List<Frame<M>> early;
    synchronized (this) {
      if (state != State.NEW) {
        return;
      }
      state = State.AWAITING;
      early = drainHeld();
    }
    TaskScheduler.Cancellable cancel = timer.schedule(this::deadlineReached, authenticator.deadline());
    boolean cancelNow;
    synchronized (this) {
      cancelDeadline = cancel;
      cancelNow = state != State.AWAITING && state != State.VERIFYING;
    }
    if (cancelNow) {
      cancel.cancel();
    }
    for (Frame<M> f : early) {
      replay(f);
    }
  }

  @SuppressWarnings("unchecked")
  private List<Frame<M>> drainHeld() {
    List<Frame<M>> out = new ArrayList<>(held.size());
    for (Object o : held) {
      out.add((Frame<M>) o);
    }
    held.clear();
    return out;
  }

  private void replay(Frame<M> f) {
    switch (f.kind()) {
      case TEXT, CONTINUATION -> onData(f.handle(), f.kind(), f.payload(), f.part(), f.last());
      case BINARY -> binaryFrame(f.handle());
      case CONTROL -> controlFrame(f.handle());
      case PEER_CLOSE -> peerClosed();
    }
  }

  /**
   * A text frame (the first, or only, frame of a text message) with its UTF-8 payload (position to limit; read
   * now, not kept). {@code last} is its FIN bit.
   */
  public void textFrame(M handle, ByteBuffer utf8, boolean last) {
    onData(handle, Kind.TEXT, utf8, null, last);
  }

  /** A continuation frame with its payload; {@code last} is its FIN bit. */
  public void continuationFrame(M handle, ByteBuffer utf8, boolean last) {
    onData(handle, Kind.CONTINUATION, utf8, null, last);
  }

  /**
   * A part of a text message already decoded by the framework (Jakarta's partial handlers): the first call starts
   * the message, later ones continue it until {@code last}.
   */
  public void textPart(M handle, String part, boolean last) {
    // TEXT: the first part starts the message and later ones continue it (inMessage), so a part is never a
    // continuation without a start.
    onData(handle, Kind.TEXT, null, part, last);
  }

  /** A binary frame, or part of a binary message. */
  public void binaryFrame(M handle) {
    onData(handle, Kind.BINARY, null, null, true);
  }

  /** A ping or pong: no credential, and no reason to wait longer. */
  public void controlFrame(M handle) {
    List<Runnable> actions = new ArrayList<>(1);
    synchronized (this) {
      if (state == State.NEW) {
        hold(new Frame<>(handle, Kind.CONTROL, null, null, true), actions);
      } else if (state == State.ACCEPTED) {
        actions.add(() -> transport.deliver(handle));
      } else {
        actions.add(() -> transport.discard(handle));
      }
    }
    actions.forEach(Runnable::run);
  }

  private void onData(M handle, Kind kind, ByteBuffer utf8, String part, boolean last) {
    List<Runnable> actions = new ArrayList<>(2);
    String textPayload = null;
    ByteBuffer bytePayload = null;
    boolean verify = false;
    synchronized (this) {
      switch (state) {
        // Read later (before start) or handed on later (while verifying), in order.
        case NEW -> hold(new Frame<>(handle, kind, utf8 == null ? null : copy(utf8), part, last), actions);
        case VERIFYING -> hold(new Frame<>(handle, kind, null, null, last), actions);
        case ACCEPTED -> actions.add(() -> transport.deliver(handle));
        case CLOSED -> actions.add(() -> transport.discard(handle));
        case AWAITING -> {
          if (handle != null) {
            actions.add(() -> transport.discard(handle)); // the credential: read here, never the application's
          }
          if (kind == Kind.BINARY || (kind == Kind.CONTINUATION && !inMessage)) {
            refuse(authenticator.notText(), actions);
          } else if (!count(utf8, part)) {
            refuse(authenticator.tooBig(), actions);
          } else {
            inMessage = true;
            append(utf8, part);
            if (last) {
              inMessage = false;
              state = State.VERIFYING;
              verify = true;
              if (chars != null) {
                textPayload = chars.toString();
              } else {
                bytePayload = bytes.flip(); // append() allocated it: every frame has a payload, if empty
              }
              chars = null;
              bytes = null;
            }
          }
        }
      }
    }
    actions.forEach(Runnable::run);
    if (verify) {
      // Outside the lock: the verifier may block on a store, and the deadline must still be able to fire.
      FirstMessageResult result = textPayload != null
          ? authenticator.authenticate(textPayload) : authenticator.authenticate(bytePayload);
      verified(result);
    }
  }

  /** Counts a fragment against the cap, before it is decoded or kept; false when the message is now too big. */
  private boolean count(ByteBuffer utf8, String part) {
    if (utf8 != null) {
      size += utf8.remaining();
    } else {
      size += utf8Length(part);
    }
    return size <= authenticator.maxMessageBytes();
  }

  /** UTF-8 length of a part, with a surrogate pair split over two parts counted once as 4 bytes. */
  private long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (pendingHighSurrogate) {
        pendingHighSurrogate = false;
        if (Character.isLowSurrogate(c)) {
          n += 1; // 3 counted for the high surrogate alone, 4 for the pair
          continue;
        }
      }
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 3;
        pendingHighSurrogate = true;
      } else {
        n += 3;
      }
    }
    return n;
  }

  private void append(ByteBuffer utf8, String part) {
    if (part != null) {
      if (chars == null) {
        chars = new StringBuilder(part.length());
      }
      chars.append(part);
    } else if (utf8 != null) {
      if (bytes == null) {
        bytes = ByteBuffer.allocate(authenticator.maxMessageBytes());
      }
      bytes.put(utf8.duplicate());
    }
  }

  private static ByteBuffer copy(ByteBuffer b) {
    ByteBuffer c = ByteBuffer.allocate(b.remaining());
    c.put(b.duplicate()).flip();
    return c;
  }

  private void hold(Frame<M> frame, List<Runnable> actions) {
    if (held.size() >= MAX_HELD) {
      if (frame.handle() != null) {
        actions.add(() -> transport.discard(frame.handle()));
      }
      refuse(new FirstMessageResult.Rejected(FirstMessageAuthenticator.POLICY_VIOLATION, TOO_MANY_HELD), actions);
      return;
    }
    held.add(frame);
  }

  /** What the authenticator decided about the assembled credential. */
  private void verified(FirstMessageResult result) {
    List<Runnable> actions = new ArrayList<>(2);
    synchronized (this) {
      if (state != State.VERIFYING) {
        return; // the deadline passed, or the connection closed, meanwhile: that decision stands
      }
      if (result instanceof FirstMessageResult.Accepted accepted) {
        state = State.ACCEPTED;
        cancelDeadline(actions);
        actions.add(() -> transport.accept(accepted.identity()));
        boolean peerGone = false;
        for (Frame<M> f : drainHeld()) {
          if (f.kind() == Kind.PEER_CLOSE) {
            if (!peerGone) {
              actions.add(transport::abort);
            }
            peerGone = true;
          } else if (f.handle() != null) {
            // after the peer's close nothing reaches the application, but every handle is released
            actions.add(peerGone ? () -> transport.discard(f.handle()) : () -> transport.deliver(f.handle()));
          }
        }
      } else {
        refuse((FirstMessageResult.Rejected) result, actions);
      }
    }
    actions.forEach(Runnable::run);
  }

  /** The deadline passed (called by the {@link TaskScheduler}). */
  public void deadlineReached() {
    List<Runnable> actions = new ArrayList<>(2);
    synchronized (this) {
      if (state == State.AWAITING || state == State.VERIFYING) {
        refuse(authenticator.timedOut(), actions);
      }
    }
    actions.forEach(Runnable::run);
  }

  /**
   * The client sent a close frame before authenticating: close without waiting (after acceptance the framework
   * handles it). Before {@link #start()} it is held in order.
   */
  public void peerClosed() {
    List<Runnable> actions = new ArrayList<>(2);
    synchronized (this) {
      switch (state) {
        case NEW -> hold(new Frame<>(null, Kind.PEER_CLOSE, null, null, true), actions);
        case VERIFYING -> hold(new Frame<>(null, Kind.PEER_CLOSE, null, null, true), actions);
        case AWAITING -> {
          terminate(actions);
          actions.add(transport::abort);
        }
        default -> { }
      }
    }
    actions.forEach(Runnable::run);
  }

  /** A message that cannot be read as a frame (e.g. undecoded bytes): refused like a binary message. */
  public void unreadable(M handle, boolean canWriteCloseFrame) {
    List<Runnable> actions = new ArrayList<>(2);
    synchronized (this) {
      if (handle != null) {
        actions.add(() -> transport.discard(handle));
      }
      if (state != State.CLOSED && state != State.ACCEPTED) {
        if (canWriteCloseFrame) {
          refuse(authenticator.notText(), actions);
        } else {
          terminate(actions);
          actions.add(transport::abort);
        }
      }
    }
    actions.forEach(Runnable::run);
  }

  /** The connection is gone (or the adapter was removed): cancel the deadline, discard what is held. */
  public void connectionClosed() {
    List<Runnable> actions = new ArrayList<>(2);
    synchronized (this) {
      if (state != State.ACCEPTED) {
        terminate(actions);
      }
    }
    actions.forEach(Runnable::run);
  }

  /** Whether the client has been accepted. */
  public synchronized boolean isAccepted() {
    return state == State.ACCEPTED;
  }

  /** Whether the session has been decided against or closed. */
  public synchronized boolean isClosed() {
    return state == State.CLOSED;
  }

  private void refuse(FirstMessageResult result, List<Runnable> actions) {
    FirstMessageResult.Rejected r = (FirstMessageResult.Rejected) result;
    terminate(actions);
    actions.add(() -> transport.close(r.closeCode(), r.reason()));
  }

  private void terminate(List<Runnable> actions) {
    state = State.CLOSED;
    inMessage = false;
    bytes = null;
    chars = null;
    cancelDeadline(actions);
    for (Frame<M> f : drainHeld()) {
      if (f.handle() != null) {
        actions.add(() -> transport.discard(f.handle()));
      }
    }
  }

  private void cancelDeadline(List<Runnable> actions) {
    TaskScheduler.Cancellable c = cancelDeadline;
    cancelDeadline = null;
    if (c != null) {
      actions.add(c::cancel);
    }
  }
}
