package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import jakarta.servlet.FilterChain;
import jakarta.servlet.GenericFilter;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

class ServletFramesTest {

  /** A filter chain, as containers call the configurator from inside one. */
  private static final class Chain implements FilterChain {
    final AtomicBoolean seen = new AtomicBoolean();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response) {
      seen.set(ServletFrames.onStack());
    }
  }

  /** A filter that extends the servlet API's base class (as Tomcat's WsFilter does). */
  private static final class UpgradeFilter extends GenericFilter {
    private static final long serialVersionUID = 1L;
    final AtomicBoolean seen = new AtomicBoolean();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) {
      seen.set(ServletFrames.onStack());
    }
  }

  @Test
  void outsideAnyFilterChain_isFalse() {
    assertThat(ServletFrames.onStack()).isFalse();
  }

  @Test
  void insideAFilterChain_isTrue() throws Exception {
    Chain chain = new Chain();
    chain.doFilter(null, null);
    assertThat(chain.seen).isTrue();
  }

  @Test
  void insideAFilterInheritingTheInterface_isTrue() throws Exception {
    UpgradeFilter filter = new UpgradeFilter();
    filter.doFilter(null, null, null);
    assertThat(filter.seen).isTrue();
    assertThat(ServletFrames.isServletChain(UpgradeFilter.class)).isTrue();
    assertThat(ServletFrames.isServletChain(String.class)).isFalse();
  }

  /** A filter interface of the application's own, extending the servlet one. */
  interface AppFilter extends jakarta.servlet.Filter {}

  @Test
  void aFilterThroughAnInterfaceThatExtendsFilter_isAServletChain() {
    abstract class Indirect implements AppFilter {}
    assertThat(ServletFrames.isServletChain(Indirect.class)).isTrue();
    assertThat(ServletFrames.isServletChain(Runnable.class)).isFalse();
    assertThat(ServletFrames.isServletChain(java.util.ArrayList.class)).isFalse();
  }
}
