package io.github.wsauth.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsauth.examples.docs.MarkdownSnippets.Block;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Maven snippets paste: every {@code <dependency>} in an {@code xml} block of README.md and docs/*.md names an
 * artifact of this build at this build's version (or none, when the docs import {@code io.github.wsauth:wsauth-bom}
 * and the build has that module), or an external artifact with a literal version. {@code .ci/docs-consumer.sh}
 * resolves the same snippets against freshly installed artifacts.
 */
class MavenSnippetsTest {

  private static final Pattern PROPERTY = Pattern.compile("\\$\\{");

  /** One dependency of a Markdown xml block. */
  record Dependency(String groupId, String artifactId, String version, String type, String scope) {}

  @TestFactory
  Stream<DynamicTest> everyDependencyInTheDocs_isAModuleOfThisBuildOrAnExternalArtifactWithAVersion() throws Exception {
    Path root = MarkdownSnippets.repositoryRoot();
    String projectVersion = text(parse(Files.readString(root.resolve("pom.xml"))).getDocumentElement(), "version");
    Map<String, Path> modules = modules(root);
    List<Block> blocks = xmlBlocks();
    assertThat(blocks).as("xml blocks with <dependency> in README.md and docs/*.md").isNotEmpty();
    boolean bomDocumented = blocks.stream().flatMap(b -> dependencies(b).stream())
        .anyMatch(d -> d.artifactId().equals("wsauth-bom") && "import".equals(d.scope()));
    System.out.println("[docs] " + blocks.size() + " Maven blocks; modules of this build: " + modules.keySet());
    return blocks.stream().map(block -> DynamicTest.dynamicTest(block.name(), () -> {
      List<Dependency> dependencies = dependencies(block);
      assertThat(dependencies).as(block.name() + " dependencies").isNotEmpty();
      for (Dependency d : dependencies) {
        String what = block.name() + ": " + d.groupId() + ":" + d.artifactId();
        assertThat(d.groupId()).as(what + " groupId").isNotBlank().doesNotContain("${");
        assertThat(d.artifactId()).as(what + " artifactId").isNotBlank().doesNotContain("${");
        if (d.groupId().equals("io.github.wsauth")) {
          assertThat(modules).as(what + " is a module of this build").containsKey(d.artifactId());
          if (d.version() == null) {
            assertThat(bomDocumented && modules.containsKey("wsauth-bom"))
                .as(what + " has no version, and no documented wsauth-bom import of this build covers it").isTrue();
          } else {
            assertThat(d.version()).as(what + " version").isEqualTo(projectVersion);
          }
        } else {
          assertThat(d.version()).as(what + " is external: it needs a literal version").isNotBlank();
          assertThat(PROPERTY.matcher(d.version()).find()).as(what + " version " + d.version()
              + " is a property the reader does not have").isFalse();
        }
      }
    }));
  }

  @Test
  void aDependencyWithoutVersion_orWithAnUndefinedProperty_isFound() {
    String markdown = "```xml\n<dependency>\n  <groupId>org.junit.jupiter</groupId>\n"
        + "  <artifactId>junit-jupiter</artifactId>\n</dependency>\n<dependency>\n  <groupId>io.github.wsauth</groupId>\n"
        + "  <artifactId>wsauth-netty</artifactId>\n  <version>${wsauth.version}</version>\n</dependency>\n```\n";
    List<Dependency> parsed = dependencies(MarkdownSnippets.parse("X.md", markdown).get(0));
    assertThat(parsed).containsExactly(
        new Dependency("org.junit.jupiter", "junit-jupiter", null, null, null),
        new Dependency("io.github.wsauth", "wsauth-netty", "${wsauth.version}", null, null));
  }

  /** The xml blocks of README.md and docs/*.md that hold a dependency. */
  static List<Block> xmlBlocks() {
    return MarkdownSnippets.all().stream()
        .filter(b -> b.language().equals("xml") && b.code().contains("<dependency>")).collect(Collectors.toList());
  }

  /** The dependencies of a block: dependency elements, bare or inside a pom fragment. */
  static List<Dependency> dependencies(Block block) {
    Document doc = parse("<snippet>" + block.code() + "</snippet>");
    NodeList nodes = doc.getElementsByTagName("dependency");
    List<Dependency> dependencies = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      Element e = (Element) nodes.item(i);
      dependencies.add(new Dependency(text(e, "groupId"), text(e, "artifactId"), text(e, "version"), text(e, "type"),
          text(e, "scope")));
    }
    return dependencies;
  }

  /** artifactId to directory of every published module of the build (recursively; not those that skip install). */
  private static Map<String, Path> modules(Path dir) throws Exception {
    Map<String, Path> modules = new LinkedHashMap<>();
    String xml = Files.readString(dir.resolve("pom.xml"));
    Element pom = parse(xml).getDocumentElement();
    if (!xml.contains("<maven.install.skip>true</maven.install.skip>")) {
      modules.put(text(pom, "artifactId"), dir);
    }
    NodeList names = pom.getElementsByTagName("module");
    for (int i = 0; i < names.getLength(); i++) {
      modules.putAll(modules(dir.resolve(names.item(i).getTextContent().strip())));
    }
    return modules;
  }

  /** The text of {@code element}'s direct child {@code name}, or null. */
  private static String text(Element element, String name) {
    for (var n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element child && child.getTagName().equals(name)) {
        return child.getTextContent().strip();
      }
    }
    return null;
  }

  private static Document parse(String xml) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException("not well-formed XML: " + e.getMessage(), e);
    }
  }
}
