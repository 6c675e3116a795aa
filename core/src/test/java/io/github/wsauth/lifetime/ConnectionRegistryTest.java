package io.github.wsauth.lifetime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.wsauth.Identity;
import org.junit.jupiter.api.Test;

class ConnectionRegistryTest {
  private static final Instant EXP = Instant.parse("2030-01-01T00:00:30Z");

  static Identity identity(String subject, String tokenId) {
    return Identity.of(subject, Map.of(), EXP).withTokenId(tokenId);
  }

  @Test
  void register_findsBySubjectAndByTokenId_only_theMatchingConnections() {
    ConnectionRegistry registry = new ConnectionRegistry();
    List<String> closed = new ArrayList<>();
    ConnectionRegistry.Registration a1 = registry.register(identity("alice", "t1"), (c, r) -> closed.add("a1"));
    ConnectionRegistry.Registration a2 = registry.register(identity("alice", "t2"), (c, r) -> closed.add("a2"));
    ConnectionRegistry.Registration b1 = registry.register(identity("bob", "t3"), (c, r) -> closed.add("b1"));

    assertThat(registry.bySubject("alice")).containsExactlyInAnyOrder(a1, a2);
    assertThat(registry.bySubject("bob")).containsExactly(b1);
    assertThat(registry.byTokenId("t2")).containsExactly(a2);
    assertThat(registry.bySubject("carol")).isEmpty();
    assertThat(registry.byTokenId("alice")).as("subjects and token ids are separate indexes").isEmpty();
    assertThat(registry.size()).isEqualTo(3);
  }

  @Test
  void close_reachesTheConnectionOnce() {
    ConnectionRegistry registry = new ConnectionRegistry();
    List<String> closed = new ArrayList<>();
    ConnectionRegistry.Registration r = registry.register(identity("alice", "t1"), (c, m) -> closed.add(c + " " + m));
    r.close(4410, "authentication revoked");
    r.close(4410, "authentication revoked");
    assertThat(closed).containsExactly("4410 authentication revoked");
  }

  @Test
  void update_reindexesTheTokenId_keepsTheSubject() {
    ConnectionRegistry registry = new ConnectionRegistry();
    ConnectionRegistry.Registration r = registry.register(identity("alice", "old"), (c, m) -> { });
    registry.update(r, identity("alice", "new"));
    assertThat(registry.byTokenId("old")).isEmpty();
    assertThat(registry.byTokenId("new")).containsExactly(r);
    assertThat(r.tokenId()).contains("new");
    assertThatThrownBy(() -> registry.update(r, identity("bob", "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("a registration keeps its subject");
    assertThatThrownBy(() -> new ConnectionRegistry().update(r, identity("alice", "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("not a registration of this registry");
  }

  @Test
  void unregister_100000Connections_leavesTheRegistryEmpty() throws Exception {
    ConnectionRegistry registry = new ConnectionRegistry();
    int n = 100_000;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          List<ConnectionRegistry.Registration> mine = new ArrayList<>();
          for (int i = thread; i < n; i += 4) {
            // few subjects, many connections each: the shared per-subject sets are where a race would leak
            mine.add(registry.register(identity("user" + (i % 100), "token" + i), (c, m) -> { }));
          }
          mine.forEach(ConnectionRegistry.Registration::unregister);
          mine.forEach(ConnectionRegistry.Registration::unregister); // twice: no effect
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(registry.size()).isZero();
    assertThat(registry.indexedKeys()).as("no empty set left behind").isZero();
    assertThat(registry.bySubject("user1")).isEmpty();
  }

  @Test
  void closeOnce_saysWhetherThisCallClosedIt() {
    ConnectionRegistry registry = new ConnectionRegistry();
    List<String> closed = new ArrayList<>();
    ConnectionRegistry.Registration r = registry.register(identity("alice", "t1"), (c, m) -> closed.add(c + " " + m));
    assertThat(ConnectionRegistry.closeOnce(r, 4410, "authentication revoked")).isTrue();
    assertThat(ConnectionRegistry.closeOnce(r, 4410, "authentication revoked")).isFalse();
    assertThat(closed).containsExactly("4410 authentication revoked");
  }

  @Test
  void closeOnce_aRegistrationOfAnotherKind_isClosedByItsOwnClose() {
    List<String> closed = new ArrayList<>();
    ConnectionRegistry.Registration other = new ConnectionRegistry.Registration() {
      @Override
      public Identity identity() {
        return ConnectionRegistryTest.identity("alice", "t1");
      }

      @Override
      public java.util.Optional<String> tokenId() {
        return java.util.Optional.of("t1");
      }

      @Override
      public void close(int code, String reason) {
        closed.add(code + " " + reason);
      }

      @Override
      public void unregister() {
      }
    };
    assertThat(ConnectionRegistry.closeOnce(other, 4001, "authentication revoked")).isTrue();
    assertThat(closed).containsExactly("4001 authentication revoked");
  }

  @Test
  void indexedKeys_countsSubjectsAndTokenIds() {
    ConnectionRegistry registry = new ConnectionRegistry();
    ConnectionRegistry.Registration r = registry.register(identity("alice", "t1"), (c, m) -> { });
    registry.register(identity("alice", "t2"), (c, m) -> { });
    registry.register(identity("bob", "t3"), (c, m) -> { });
    assertThat(registry.indexedKeys()).isEqualTo(5);
    r.unregister();
    assertThat(registry.indexedKeys()).isEqualTo(4);
  }

  @Test
  void update_afterUnregister_movesTheIdentity_indexesNothing() {
    ConnectionRegistry registry = new ConnectionRegistry();
    ConnectionRegistry.Registration r = registry.register(identity("alice", "old"), (c, m) -> { });
    r.unregister();
    registry.update(r, identity("alice", "new"));
    assertThat(r.tokenId()).contains("new");
    assertThat(registry.byTokenId("new")).isEmpty();
    assertThat(registry.indexedKeys()).isZero();
    assertThat(registry.size()).isZero();
  }

  @Test
  void toString_showsNoSubjectOrTokenId() {
    ConnectionRegistry registry = new ConnectionRegistry();
    ConnectionRegistry.Registration r = registry.register(identity("alice", "t1"), (c, m) -> { });
    assertThat(r.toString()).startsWith("Registration[Identity[").doesNotContain("alice").doesNotContain("t1");
    assertThat(registry.toString()).isEqualTo("ConnectionRegistry[size=1]");
  }
}
