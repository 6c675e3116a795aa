package io.github.wsauth.internal;

import java.lang.System.Logger.Level;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.github.wsauth.lifetime.Revocation;
import io.github.wsauth.store.StoredToken;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.store.TokenLookup;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.store.TokenStoreFullException;

/**
 * Revocation records in the {@link TokenStore}, written by {@code Revoker} and read by wsauth-jwt, for tokens the
 * store does not hold as entries (JWTs):
 *
 * <ul>
 *   <li>a revoked token id (a JWT {@code jti}): refused until the record expires;</li>
 *   <li>a revoked subject, "revoked before T": a JWT of that subject issued at or before {@code T} ({@code iat <=
 *       T}) is refused. Records are grouped by the hour ({@link #PERIOD}) of the {@code iat} they cover: a
 *       revocation at {@code T} appends {@code T} to the slot list of every hour in which a token still valid at
 *       {@code T} can have been issued ({@code [T - retention, T]}), and every record of an hour expires when the
 *       last token issued in it can expire ({@code end of hour + retention}). The verifier reads the slots of its
 *       token's {@code iat} hour: one {@code find} when the subject was not revoked in it, plus one per revocation
 *       of that subject in that hour otherwise (at most {@value #MAX_SLOTS}). The store's entries are written
 *       once, so a later revocation takes the next slot rather than changing a record. When every slot of an hour
 *       is taken, a further revocation writes the hour's overflow record, "revoked up to the end of the hour": every
 *       token of the subject issued in that hour is refused, also those issued after the revocation (fail closed,
 *       logged), rather than the revocation failing and leaving tokens issued since the last slot valid.</li>
 * </ul>
 *
 * <p>Also the in-process notification of revocations made on this node ({@link #revokedHere}), so a verified-token
 * cache of this process drops its entries before the revocation call returns, whatever the bus's latency.
 * Internal: not part of the API.
 */
public final class RevocationKeys {
  /** Domain separation: a revocation record can never equal an opaque token's hash or a single-use jti record. */
  static final String PREFIX = "wsauth-revoked-token-id:";
  /** Domain separation of the subject records. */
  static final String SUBJECT_PREFIX = "wsauth-revoked-subject:";
  /** The attribute of a subject record holding {@code T}, epoch milliseconds. */
  static final String REVOKED_AT = "revokedAt";
  /** The store-entry subject of every record: not a subject, so {@code revokeAll} never touches records. */
  static final String RECORD_SUBJECT = "-";
  /** The length of the {@code iat} periods subject records are grouped by. */
  public static final Duration PERIOD = Duration.ofHours(1);
  /** The most revocations of one subject recorded per {@link #PERIOD} of {@code iat}. */
  public static final int MAX_SLOTS = 64;
  /** The record after the last slot: the whole period revoked, once {@link #MAX_SLOTS} revocations filled it. */
  static final int OVERFLOW_SLOT = MAX_SLOTS;
  private static final System.Logger LOG = System.getLogger(RevocationKeys.class.getName());

  private static final CopyOnWriteArrayList<WeakReference<Consumer<Revocation>>> LOCAL =
      new CopyOnWriteArrayList<>();

  private RevocationKeys() {}

  /** The store key of the revocation record of {@code tokenId}. */
  public static TokenHash of(String tokenId) {
    return TokenHash.of(PREFIX + tokenId);
  }

  /**
   * Whether {@code store} holds a live revocation record of {@code tokenId}.
   *
   * @throws io.github.wsauth.store.TokenStoreUnavailableException if the store failed
   */
  public static boolean isRevoked(TokenStore store, String tokenId) {
    TokenLookup.Status status = store.find(of(tokenId)).status();
    return status != TokenLookup.Status.NOT_FOUND && status != TokenLookup.Status.EXPIRED;
  }

  /** The key of slot {@code slot} of {@code subject}'s records for the {@code iat} period {@code period}. */
  static TokenHash subjectSlot(String subject, long period, int slot) {
    // subject last: the numbers before it are colon-free, so the string names one (period, slot, subject)
    return TokenHash.of(SUBJECT_PREFIX + period + ":" + slot + ":" + subject);
  }

  /**
   * Records "every token of {@code subject} issued at or before {@code revokedAt} is revoked", for tokens that
   * can still be valid then: those issued in {@code [revokedAt - retention, revokedAt]}.
   *
   * @param retention the longest token lifetime plus clock skew of the verifiers
   * @throws io.github.wsauth.store.TokenStoreUnavailableException if the store failed (a
   *     {@link TokenStoreFullException} if the store itself is full)
   */
  public static void revokeSubjectBefore(TokenStore store, String subject, Instant revokedAt, Duration retention) {
    long t = revokedAt.toEpochMilli();
    long p = PERIOD.toMillis();
    long first = Math.floorDiv(t - retention.toMillis(), p);
    long last = Math.floorDiv(t, p);
    Map<String, String> attributes = Map.of(REVOKED_AT, Long.toString(t));
    boolean overflowed = false;
    for (long period = first; period <= last; period++) {
      // every record of a period expires together, when the last token issued in the period can expire
      Instant expires = Instant.ofEpochMilli((period + 1) * p).plus(retention);
      boolean saved = false;
      for (int slot = 0; slot < MAX_SLOTS && !saved; slot++) {
        saved = store.saveIfAbsent(new StoredToken(subjectSlot(subject, period, slot), RECORD_SUBJECT, attributes,
            expires, false));
      }
      if (!saved) {
        // Every slot is taken: revoke the whole period (already so if the overflow record exists) rather than fail
        // and leave the subject's tokens issued since the last slot valid.
        long nextPeriod = (period + 1) * p; // no token of this period is issued at or after it
        store.saveIfAbsent(new StoredToken(subjectSlot(subject, period, OVERFLOW_SLOT), RECORD_SUBJECT,
            Map.of(REVOKED_AT, Long.toString(Math.max(t, nextPeriod))), expires, false));
        overflowed = true;
      }
    }
    if (overflowed) {
      LOG.log(Level.WARNING, "a subject was revoked more than " + MAX_SLOTS + " times in one hour: every token of it"
          + " issued in that hour is refused until the hour is over");
    }
  }

  /**
   * Whether {@code store} holds a revocation of {@code subject} made at or after {@code issuedAt} (the token's
   * {@code iat}) that still covers it.
   *
   * @throws io.github.wsauth.store.TokenStoreUnavailableException if the store failed
   */
  public static boolean isSubjectRevoked(TokenStore store, String subject, Instant issuedAt) {
    long iat = issuedAt.toEpochMilli();
    long period = Math.floorDiv(iat, PERIOD.toMillis());
    for (int slot = 0; slot <= OVERFLOW_SLOT; slot++) {
      TokenLookup lookup = store.find(subjectSlot(subject, period, slot));
      switch (lookup.status()) {
        case NOT_FOUND:
        case EXPIRED:
          return false;
        case VALID:
          if (iat <= revokedAt(lookup.token().orElseThrow())) {
            return true;
          }
          break;
        default:
          return true; // a record someone changed: its T is unknown, fail closed
      }
    }
    return false;
  }

  private static long revokedAt(StoredToken record) {
    try {
      return Long.parseLong(record.attributes().getOrDefault(REVOKED_AT, ""));
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE; // unreadable: fail closed
    }
  }

  /**
   * Calls {@code listener} on the revoking thread for every revocation made by a {@code Revoker} of this process,
   * before the revocation call returns. Held weakly: it stays subscribed while its owner keeps it.
   */
  public static void onRevokedHere(Consumer<Revocation> listener) {
    LOCAL.removeIf(r -> r.get() == null);
    LOCAL.add(new WeakReference<>(listener));
  }

  /** A {@code Revoker} of this process revoked {@code revocation}: tells the {@link #onRevokedHere} listeners. */
  public static void revokedHere(Revocation revocation) {
    for (WeakReference<Consumer<Revocation>> ref : LOCAL) {
      Consumer<Revocation> listener = ref.get();
      if (listener == null) {
        LOCAL.remove(ref);
      } else {
        try {
          listener.accept(revocation);
        } catch (RuntimeException e) {
          // a cache that fails to drop entries must not keep the revocation from closing connections
        }
      }
    }
  }

  /** How many listeners were collected but are still in the list (for the leak test: 0 after a cleanup). */
  static long collectedListeners() {
    return LOCAL.stream().filter(r -> r.get() == null).count();
  }
}
