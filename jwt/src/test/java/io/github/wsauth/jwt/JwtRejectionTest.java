package io.github.wsauth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsauth.RejectionReason;
import org.junit.jupiter.api.Test;

/** Rejections are made for every hostile token: no stack trace is filled in, and the Throwable contract holds. */
class JwtRejectionTest {
  @Test
  void carriesItsReasonAndMessage_withoutAStackTrace() {
    JwtRejection r = new JwtRejection(RejectionReason.EXPIRED, "expired");
    assertThat(r.reason()).isEqualTo(RejectionReason.EXPIRED);
    assertThat(r).hasMessage("expired");
    assertThat(r.getStackTrace()).isEmpty();
    // fillInStackTrace returns the throwable itself (java.lang.Throwable's contract), still without a trace.
    assertThat(r.fillInStackTrace()).isSameAs(r);
    assertThat(r.getStackTrace()).isEmpty();
  }
}
