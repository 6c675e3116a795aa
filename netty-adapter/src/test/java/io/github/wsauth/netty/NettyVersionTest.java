package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.Version;

/** Proves which Netty the suite runs on: 4.2 in the default surefire execution, 4.1 in "netty41". */
class NettyVersionTest {

  @Test
  void classpath_runsTheExpectedNettyVersion() {
    String expected = System.getProperty("wsauth.expectedNettyVersion");
    assertThat(expected).as("system property wsauth.expectedNettyVersion").isNotBlank();
    for (String artifact : new String[] {"netty-common", "netty-buffer", "netty-transport", "netty-codec-http"}) {
      assertThat(Version.identify()).containsKey(artifact);
      assertThat(Version.identify().get(artifact).artifactVersion()).as(artifact).isEqualTo(expected);
    }
  }

  @Test
  void leakDetection_isParanoid() {
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
  }
}
