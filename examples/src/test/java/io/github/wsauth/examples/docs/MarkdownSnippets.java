package io.github.wsauth.examples.docs;

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

/**
 * Reads the fenced code blocks of the repository's Markdown (README.md and docs/*.md).
 *
 * <p>A block is skipped from compilation only when the Markdown says so: a {@code java-not-compiled} fence, or an
 * HTML comment {@code <!-- not compiled: reason -->} on the last non-blank line before the fence.
 */
final class MarkdownSnippets {

  private static final Pattern FENCE = Pattern.compile("^( *)```\\s*([\\w-]*)\\s*$");
  private static final Pattern NOT_COMPILED = Pattern.compile("^\\s*<!--\\s*not compiled:.*-->\\s*$");

  /** One fenced block: the Markdown file (relative to the root), its fence line (1-based), info string, text. */
  record Block(String file, int line, String language, String code, String heading, boolean markedNotCompiled) {

    /** The name a dynamic test shows, e.g. {@code README.md:58}. */
    String name() {
      return file + ":" + line;
    }
  }

  private MarkdownSnippets() {}

  /** The repository root: the first ancestor of the working directory holding README.md and docs/. */
  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs"))
          && Files.isRegularFile(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root (README.md, docs/) above " + dir);
  }

  /** README.md and every docs/*.md, in a stable order. */
  static List<Path> markdownFiles(Path root) {
    List<Path> files = new ArrayList<>();
    files.add(root.resolve("README.md"));
    try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
      docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /** Every fenced block of every Markdown file. */
  static List<Block> all() {
    Path root = repositoryRoot();
    List<Block> blocks = new ArrayList<>();
    for (Path file : markdownFiles(root)) {
      blocks.addAll(parse(root.relativize(file).toString().replace('\\', '/'), read(file)));
    }
    return blocks;
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The fenced blocks of one Markdown text; the fence's indentation is removed from the block's lines. */
  static List<Block> parse(String file, String markdown) {
    List<Block> blocks = new ArrayList<>();
    String[] lines = markdown.split("\n", -1);
    String heading = "";
    String lastNonBlank = "";
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      Matcher open = FENCE.matcher(line);
      if (open.matches()) {
        int indent = open.group(1).length();
        String language = open.group(2);
        StringBuilder code = new StringBuilder();
        int j = i + 1;
        for (; j < lines.length && !lines[j].strip().equals("```"); j++) {
          String body = lines[j];
          int strip = 0;
          while (strip < indent && strip < body.length() && body.charAt(strip) == ' ') {
            strip++;
          }
          code.append(body.substring(strip)).append('\n');
        }
        if (j == lines.length) {
          throw new IllegalStateException(file + ":" + (i + 1) + ": unclosed code fence");
        }
        boolean notCompiled = language.endsWith("-not-compiled") || NOT_COMPILED.matcher(lastNonBlank).matches();
        blocks.add(new Block(file, i + 1, language, code.toString(), heading, notCompiled));
        i = j;
        lastNonBlank = "```";
        continue;
      }
      if (line.startsWith("#")) {
        heading = line.replaceFirst("^#+\\s*", "").strip();
      }
      if (!line.isBlank()) {
        lastNonBlank = line;
      }
    }
    return blocks;
  }
}
