package io.github.wsauth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.github.wsauth.LogCapture;
import io.github.wsauth.TestClock;
import io.github.wsauth.lifetime.Revocation;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.store.TokenStoreFullException;
import org.junit.jupiter.api.Test;

/** The subject records: "revoked before T" covers iat <= T, across hours, for as long as such a token lives. */
class RevocationKeysTest {
  private static final Duration RETENTION = Duration.ofMinutes(10);
  private final TestClock clock = TestClock.at(TestClock.START.plusSeconds(5 * 60)); // 00:05, hour boundary 00:00
  private final TokenStore store = TokenStore.inMemory(clock);

  @Test
  void coversIatAtOrBeforeT_notAfter_notOtherSubjects() {
    Instant t = clock.instant();
    RevocationKeys.revokeSubjectBefore(store, "alice", t, RETENTION);
    assertThat(RevocationKeys.isSubjectRevoked(store, "alice", t)).isTrue();
    assertThat(RevocationKeys.isSubjectRevoked(store, "alice", t.minusSeconds(1))).isTrue();
    assertThat(RevocationKeys.isSubjectRevoked(store, "alice", t.minusSeconds(8 * 60))).as("previous hour")
        .isTrue();
    assertThat(RevocationKeys.isSubjectRevoked(store, "alice", t.plusMillis(1))).isFalse();
    assertThat(RevocationKeys.isSubjectRevoked(store, "bob", t.minusSeconds(1))).isFalse();
    assertThat(RevocationKeys.isSubjectRevoked(store, "alic", t.minusSeconds(1))).isFalse();
  }

  @Test
  void laterRevocations_takeTheNextSlot() {
    Instant t1 = clock.instant();
    RevocationKeys.revokeSubjectBefore(store, "alice", t1, RETENTION);
    Instant t2 = t1.plusSeconds(10);
    clock.set(t2);
    RevocationKeys.revokeSubjectBefore(store, "alice", t2, RETENTION);
    assertThat(RevocationKeys.isSubjectRevoked(store, "alice", t1.plusSeconds(5))).isTrue();
    assertThat(RevocationKeys.isSubjectRevoked(store, "alice", t2.plusSeconds(1))).isFalse();
  }

  @Test
  void records_liveUntilTheLastCoveredTokenCanExpire_thenGo() {
    Instant t = clock.instant();
    RevocationKeys.revokeSubjectBefore(store, "alice", t, RETENTION);
    Instant iat = t.minusSeconds(1); // hour 00:00-01:00; a token of it lives at most until 01:00 + RETENTION
    clock.set(TestClock.START.plus(Duration.ofHours(1)).plus(RETENTION));
    assertThat(RevocationKeys.isSubjectRevoked(store, "alice", iat)).isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(RevocationKeys.isSubjectRevoked(store, "alice", iat)).isFalse();
    assertThat(store.purgeExpired()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void revokeAllOfTheSubject_leavesTheRecordsAlone() {
    Instant t = clock.instant();
    RevocationKeys.revokeSubjectBefore(store, "alice", t, RETENTION);
    store.revokeAll("alice");
    assertThat(RevocationKeys.isSubjectRevoked(store, "alice", t)).isTrue();
    RevocationKeys.revokeSubjectBefore(store, "alice", t.plusSeconds(1), RETENTION);
    assertThat(RevocationKeys.isSubjectRevoked(store, "alice", t.plusSeconds(1))).isTrue();
  }

  @Test
  void slotsFull_theNextRevocationRevokesTheWholeHour_insteadOfFailing() {
    Instant t = clock.instant();
    for (int i = 0; i < RevocationKeys.MAX_SLOTS; i++) {
      RevocationKeys.revokeSubjectBefore(store, "alice", t.plusMillis(i), RETENTION);
    }
    Instant issuedAfterTheLastSlot = t.plusSeconds(1);
    assertThat(RevocationKeys.isSubjectRevoked(store, "alice", issuedAfterTheLastSlot)).isFalse();

    try (LogCapture logs = new LogCapture()) {
      RevocationKeys.revokeSubjectBefore(store, "alice", t.plusSeconds(2), RETENTION);
      assertThat(logs.lines()).filteredOn(line -> line.contains("revoked more than 64 times in one hour"))
          .singleElement().satisfies(line -> assertThat(line).contains("WARNING"));
      assertThat(logs.text()).doesNotContain("alice");
    }
    // Issued before the 65th revocation, and after it in the same hour: refused (fail closed).
    Instant endOfHour = Instant.ofEpochMilli((Math.floorDiv(t.toEpochMilli(), 3_600_000L) + 1) * 3_600_000L);
    assertThat(RevocationKeys.isSubjectRevoked(store, "alice", issuedAfterTheLastSlot)).isTrue();
    assertThat(RevocationKeys.isSubjectRevoked(store, "alice", endOfHour.minusMillis(1))).isTrue();
    // The next hour is untouched, and so is every other subject.
    assertThat(RevocationKeys.isSubjectRevoked(store, "alice", endOfHour)).isFalse();
    assertThat(RevocationKeys.isSubjectRevoked(store, "bob", issuedAfterTheLastSlot)).isFalse();
    // A 66th revocation finds the overflow record there: nothing more to write, no failure.
    RevocationKeys.revokeSubjectBefore(store, "alice", t.plusSeconds(3), RETENTION);
    assertThat(RevocationKeys.isSubjectRevoked(store, "alice", endOfHour.minusMillis(1))).isTrue();
  }

  @Test
  void jdbcStore_keepsTheRecords_slotsAndExpiry() {
    org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    h2.setUser("sa");
    TokenStore jdbc = io.github.wsauth.store.JdbcTokenStore.builder(h2).clock(clock).createTableIfMissing(true)
        .build();
    Instant t1 = clock.instant();
    RevocationKeys.revokeSubjectBefore(jdbc, "alice", t1, RETENTION);
    Instant t2 = t1.plusSeconds(10);
    clock.set(t2);
    RevocationKeys.revokeSubjectBefore(jdbc, "alice", t2, RETENTION);
    assertThat(RevocationKeys.isSubjectRevoked(jdbc, "alice", t1.minusSeconds(8 * 60))).isTrue();
    assertThat(RevocationKeys.isSubjectRevoked(jdbc, "alice", t1.plusSeconds(5))).isTrue();
    assertThat(RevocationKeys.isSubjectRevoked(jdbc, "alice", t2.plusSeconds(1))).isFalse();
    assertThat(RevocationKeys.isSubjectRevoked(jdbc, "bob", t1)).isFalse();
    clock.set(TestClock.START.plus(Duration.ofHours(1)).plus(RETENTION).plusMillis(1));
    assertThat(RevocationKeys.isSubjectRevoked(jdbc, "alice", t1)).isFalse();
  }

  @Test
  void revokedHere_reachesListenersWhileTheyAreHeld() {
    List<Revocation> got = new CopyOnWriteArrayList<>();
    Consumer<Revocation> listener = got::add;
    RevocationKeys.onRevokedHere(listener);
    RevocationKeys.revokedHere(Revocation.subject("alice"));
    assertThat(got).containsExactly(Revocation.subject("alice"));
  }

  @Test
  void allSlotsTaken_byEarlierRevocations_doesNotCoverALaterIat() {
    Instant t = clock.instant();
    for (int i = 0; i < RevocationKeys.MAX_SLOTS; i++) {
      RevocationKeys.revokeSubjectBefore(store, "alice", t.plusMillis(i), RETENTION);
    }
    assertThat(RevocationKeys.isSubjectRevoked(store, "alice", t.plusMillis(RevocationKeys.MAX_SLOTS))).isFalse();
  }

  @Test
  void aRecordSomeoneRevoked_failsClosed() {
    Instant t = clock.instant();
    RevocationKeys.revokeSubjectBefore(store, "alice", t, RETENTION);
    store.revokeAll(RevocationKeys.RECORD_SUBJECT); // every record is now REVOKED: its T is unknown
    assertThat(RevocationKeys.isSubjectRevoked(store, "alice", t.plusSeconds(1))).isTrue();
    assertThat(RevocationKeys.isSubjectRevoked(store, "bob", t)).isFalse();
  }

  @Test
  void anUnreadableRecord_failsClosed() {
    Instant t = clock.instant();
    long period = Math.floorDiv(t.toEpochMilli(), RevocationKeys.PERIOD.toMillis());
    store.saveIfAbsent(new io.github.wsauth.store.StoredToken(RevocationKeys.subjectSlot("alice", period, 0),
        RevocationKeys.RECORD_SUBJECT, java.util.Map.of(RevocationKeys.REVOKED_AT, "not a number"),
        t.plus(RETENTION), false));
    assertThat(RevocationKeys.isSubjectRevoked(store, "alice", t.plusSeconds(1))).isTrue();
  }

  @Test
  void revokedHere_reachesEveryHeldListener_aNewOneDropsNone() {
    List<Revocation> first = new CopyOnWriteArrayList<>();
    List<Revocation> second = new CopyOnWriteArrayList<>();
    Consumer<Revocation> a = first::add;
    Consumer<Revocation> b = second::add;
    RevocationKeys.onRevokedHere(a);
    RevocationKeys.onRevokedHere(b);
    RevocationKeys.revokedHere(Revocation.token("t"));
    assertThat(first).containsExactly(Revocation.token("t"));
    assertThat(second).containsExactly(Revocation.token("t"));
    assertThat(List.of(a, b)).hasSize(2); // held until here
  }

  @Test
  void collectedListeners_areDroppedFromTheList() {
    Consumer<Revocation> held = new CopyOnWriteArrayList<Revocation>()::add;
    for (boolean cleanedByRevocation : new boolean[] {false, true}) {
      List<Revocation> got = new CopyOnWriteArrayList<>();
      Consumer<Revocation> dropped = got::add;
      RevocationKeys.onRevokedHere(dropped);
      java.lang.ref.WeakReference<Object> probe = new java.lang.ref.WeakReference<>(dropped);
      dropped = null;
      got = null;
      for (int i = 0; i < 50 && probe.get() != null; i++) {
        System.gc();
      }
      assertThat(probe.get()).as("collected").isNull();
      assertThat(RevocationKeys.collectedListeners()).isPositive();
      if (cleanedByRevocation) {
        RevocationKeys.revokedHere(Revocation.token("t"));
      } else {
        RevocationKeys.onRevokedHere(held);
      }
      assertThat(RevocationKeys.collectedListeners()).isZero();
    }
    assertThat(held).isNotNull(); // held until here
  }
}
