package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * Proves that {@link LeakDetection} can fail (a buffer that is never released is reported) and that its shortcut
 * skips the garbage collections only when no buffer allocated since its snapshot is unreleased.
 */
class LeakDetectionTest {

  @Test
  void collectLeaks_unreleasedBuffer_isReported() throws InterruptedException {
    leakOne();
    assertThat(LeakDetection.collectLeaks()).anySatisfy(leak -> assertThat(leak).contains("LEAK"));
  }

  @Test
  void collectLeaks_seesOnlyBuffersTrackedSinceItsSnapshot_andNothingToCollectOnceTheyAreReleased()
      throws InterruptedException {
    assertThat(LeakDetection.seesTrackedBuffers()).as("the detector's tracked buffers are visible").isTrue();
    Set<Object> before = LeakDetection.trackedNow();
    ByteBuf inUse = PooledByteBufAllocator.DEFAULT.directBuffer(16);
    try {
      assertThat(LeakDetection.mayHaveLeaks(before)).as("a buffer allocated since, unreleased").isTrue();
      assertThat(LeakDetection.mayHaveLeaks(LeakDetection.trackedNow())).as("already in the snapshot").isFalse();
      assertThat(LeakDetection.collectLeaks(before)).as("reachable, so not a leak").isEmpty();
    } finally {
      inUse.release();
    }
    assertThat(LeakDetection.mayHaveLeaks(before)).as("released: nothing new is tracked").isFalse();
  }

  @Test
  void collectLeaks_unreleasedBufferSinceTheSnapshot_isReported() throws InterruptedException {
    Set<Object> before = LeakDetection.trackedNow();
    leakOne();
    assertThat(LeakDetection.collectLeaks(before)).anySatisfy(leak -> assertThat(leak).contains("LEAK"));
  }

  private static void leakOne() {
    ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(16); // unpooled heap buffers are never tracked
    leaked.writeInt(42);
  }
}
