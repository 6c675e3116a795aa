package io.github.wsauth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The built module's descriptor: one exported package, and Nimbus required transitively (its types are API). */
class ModuleInfoTest {

  @Test
  void descriptor_exportsOnlyTheJwtPackage_requiresCoreAndNimbus() {
    Path classes = Path.of("target", "classes").toAbsolutePath();
    assertThat(classes.resolve("module-info.class")).as("run from the jwt module directory, after compile").exists();
    ModuleDescriptor d = ModuleFinder.of(classes).find("io.github.wsauth.jwt").orElseThrow().descriptor();
    assertThat(d.exports()).extracting(Exports::source).containsExactly("io.github.wsauth.jwt");
    assertThat(d.exports()).noneMatch(Exports::isQualified);
    assertThat(d.opens()).isEmpty();
    assertThat(d.requires()).filteredOn(r -> r.modifiers().contains(Requires.Modifier.TRANSITIVE))
        .extracting(Requires::name).containsExactlyInAnyOrder("io.github.wsauth.core", "com.nimbusds.jose.jwt");
  }
}
