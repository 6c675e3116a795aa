package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Core is framework-free: nothing under core/src/main may import jakarta.* or io.netty.* (ARCHITECTURE.md). */
class CoreArchitectureTest {
  private static final Pattern FORBIDDEN = Pattern.compile(
      "^\\s*import\\s+(static\\s+)?(jakarta|javax\\.websocket|javax\\.servlet|io\\.netty)\\.",
      Pattern.MULTILINE);
  private static final Pattern FULLY_QUALIFIED = Pattern.compile("\\b(jakarta|io\\.netty)\\.[a-z]+\\.[A-Za-z]");

  /** Every file under {@code root} that mentions a forbidden package, with the offending line. */
  static List<String> violations(Path root) {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Matcher m = FORBIDDEN.matcher(text);
        while (m.find()) {
          found.add(root.relativize(file) + ": import " + m.group(2));
        }
        if (file.toString().endsWith(".java")) {
          Matcher fq = FULLY_QUALIFIED.matcher(stripCommentsAndImports(text));
          while (fq.find()) {
            found.add(root.relativize(file) + ": uses " + fq.group());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  private static String stripCommentsAndImports(String java) {
    return java.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "")
        .replaceAll("(?m)^\\s*import\\s[^\\n]*", "");
  }

  @Test
  void coreMain_importsNoFramework() {
    Path main = Path.of("src", "main").toAbsolutePath();
    assertThat(main).as("run from the core module directory").isDirectory();
    assertThat(main.resolve("java/io/github/wsauth/HandshakeAuthenticator.java")).exists();
    assertThat(violations(main)).isEmpty();
  }

  @Test
  void scanner_findsPlantedImports(@TempDir Path dir) throws IOException {
    Path pkg = Files.createDirectories(dir.resolve("java/io/github/wsauth"));
    Files.writeString(pkg.resolve("Clean.java"), "package io.github.wsauth;\nimport java.util.List;\n");
    assertThat(violations(dir)).isEmpty();
    Files.writeString(pkg.resolve("Bad.java"),
        "package io.github.wsauth;\n\nimport jakarta.websocket.Session;\n"
            + "import static io.netty.util.CharsetUtil.UTF_8;\n");
    Files.writeString(pkg.resolve("Sneaky.java"),
        "package io.github.wsauth;\nclass Sneaky { io.netty.channel.Channel c; }\n");
    assertThat(violations(dir)).hasSize(3)
        .anySatisfy(v -> assertThat(v).contains("Bad.java").contains("jakarta"))
        .anySatisfy(v -> assertThat(v).contains("Bad.java").contains("io.netty"))
        .anySatisfy(v -> assertThat(v).contains("Sneaky.java"));
  }
}
