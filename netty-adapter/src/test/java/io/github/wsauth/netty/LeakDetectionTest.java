package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/** Proves that {@link LeakDetection} can fail: a buffer that is never released is reported. */
class LeakDetectionTest {

  @Test
  void collectLeaks_unreleasedBuffer_isReported() throws InterruptedException {
    leakOne();
    assertThat(LeakDetection.collectLeaks()).anySatisfy(leak -> assertThat(leak).contains("LEAK"));
  }

  private static void leakOne() {
    ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(16); // unpooled heap buffers are never tracked
    leaked.writeInt(42);
  }
}
