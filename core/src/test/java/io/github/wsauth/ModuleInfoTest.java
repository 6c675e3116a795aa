package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The built module's descriptor ({@code target/classes/module-info.class}): it exports the API and the store SPI
 * to everyone, and the internal package only to wsauth's own modules (STYLE.md, example 1).
 */
class ModuleInfoTest {

  private static ModuleDescriptor descriptor() {
    Path classes = Path.of("target", "classes").toAbsolutePath();
    assertThat(classes.resolve("module-info.class")).as("run from the core module directory, after compile").exists();
    return ModuleFinder.of(classes).find("io.github.wsauth.core").orElseThrow().descriptor();
  }

  @Test
  void exports_apiAndStoreToEveryone_internalOnlyToWsauthModules() {
    Map<String, Set<String>> exports = descriptor().exports().stream()
        .collect(Collectors.toMap(Exports::source, Exports::targets));
    assertThat(exports.keySet())
        .containsExactlyInAnyOrder("io.github.wsauth", "io.github.wsauth.store", "io.github.wsauth.lifetime",
            "io.github.wsauth.internal");
    assertThat(exports.get("io.github.wsauth")).as("unqualified").isEmpty();
    assertThat(exports.get("io.github.wsauth.store")).as("unqualified").isEmpty();
    assertThat(exports.get("io.github.wsauth.lifetime")).as("unqualified").isEmpty();
    assertThat(exports.get("io.github.wsauth.internal"))
        .containsExactlyInAnyOrder("io.github.wsauth.jwt", "io.github.wsauth.jakarta", "io.github.wsauth.netty",
            "io.github.wsauth.spring");
  }

  @Test
  void internal_isNotExportedUnqualified_norOpen() {
    ModuleDescriptor d = descriptor();
    assertThat(d.isOpen()).isFalse();
    assertThat(d.opens()).isEmpty();
    assertThat(d.exports()).filteredOn(e -> !e.isQualified()).extracting(Exports::source)
        .doesNotContain("io.github.wsauth.internal");
    assertThat(d.packages()).contains("io.github.wsauth.internal");
  }

  @Test
  void requires_onlyJdkModules() {
    assertThat(descriptor().requires()).extracting(Requires::name)
        .containsExactlyInAnyOrder("java.base", "java.sql", "java.logging");
  }
}
