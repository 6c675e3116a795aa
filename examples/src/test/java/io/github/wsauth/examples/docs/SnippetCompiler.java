package io.github.wsauth.examples.docs;

import io.github.wsauth.examples.docs.MarkdownSnippets.Block;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles the java blocks of one Markdown file together, in one package, so a class declared in one block can be
 * used by a later block of the same file (as a reader would). Each block is its own compilation unit:
 *
 * <ul>
 *   <li>a block with a top-level {@code class}/{@code record}/{@code interface}/{@code enum} is compiled as it is,
 *       with the imports below prepended;</li>
 *   <li>any other block is a list of statements: the body of {@code public static void run(Map<String, Object>
 *       $out) throws Exception} of a generated class {@code Block<line>}; a run may append statements that put
 *       what it checks into {@code $out}.</li>
 * </ul>
 *
 * The imports, all on the unit's first line so a compiler line maps straight back to the Markdown: the packages of
 * {@link #IMPORTED_PACKAGES} that exist on the class path (wildcards, so moving a type between wsauth packages or
 * modules does not break the docs' test), and {@link SnippetGivens}.
 */
final class SnippetCompiler {

  /** Packages the snippets may use without importing them (only those on the class path are imported). */
  static final List<String> IMPORTED_PACKAGES = List.of(
      "java.io", "java.net", "java.nio.charset", "java.time", "java.util", "java.util.concurrent",
      "java.util.function", "javax.sql",
      "io.github.wsauth", "io.github.wsauth.store", "io.github.wsauth.lifetime", "io.github.wsauth.jwt",
      "io.github.wsauth.jakarta",
      "io.github.wsauth.netty", "io.github.wsauth.testkit",
      "com.nimbusds.jose", "com.nimbusds.jose.jwk", "com.nimbusds.jose.jwk.gen",
      "jakarta.servlet", "jakarta.websocket", "jakarta.websocket.server",
      "io.netty.channel", "io.netty.channel.socket", "io.netty.handler.codec.http",
      "io.netty.handler.codec.http.websocketx", "io.netty.util.concurrent", "io.netty.util.internal.logging",
      "org.apache.catalina.connector", "org.apache.tomcat.websocket.server",
      "org.eclipse.jetty.ee10.servlet", "org.eclipse.jetty.ee10.websocket.jakarta.server.config",
      "org.glassfish.tyrus.server", "org.glassfish.tyrus.container.grizzly.server",
      "com.zaxxer.hikari", "org.h2.jdbcx", "org.junit.jupiter.api",
      "io.github.wsauth.spring", "org.springframework.beans.factory.annotation",
      "org.springframework.context.annotation", "org.springframework.stereotype", "org.springframework.web.socket",
      "org.springframework.web.socket.config.annotation", "org.springframework.web.socket.handler");

  private static final Pattern TYPE_DECLARATION = Pattern.compile(
      "^(?:(?:public|final|abstract|sealed|non-sealed|static)\\s+)*(?:class|record|interface|enum)\\s+\\w+",
      Pattern.MULTILINE);

  /** One compiled file: its class loader and, per block, the compiler's errors (empty when it compiled). */
  record Result(ClassLoader loader, Map<Block, List<String>> errors, Map<Block, String> classNames) {}

  private SnippetCompiler() {}

  static boolean declaresTypes(Block block) {
    return TYPE_DECLARATION.matcher(block.code()).find();
  }

  /** A package declaration on a block's first line. */
  private static final Pattern PACKAGE_LINE = Pattern.compile("\\A\\s*package\\s+[\\w.]+\\s*;[^\\n]*");

  /** The package of a Markdown file's blocks, e.g. {@code docsnippets.docs_jakarta_md}. */
  static String packageOf(String file) {
    return "docsnippets." + file.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
  }

  /**
   * Compiles {@code blocks} (all from one file) against the test class path, those that import {@code io.quarkus}
   * against Quarkus' ({@link #usesQuarkus}); {@code probes} maps a statement block to statements appended after it
   * (a run's checks).
   */
  static Result compile(List<Block> blocks, Map<Block, String> probes) {
    List<Block> quarkus = blocks.stream().filter(SnippetCompiler::usesQuarkus).collect(Collectors.toList());
    List<Block> rest = blocks.stream().filter(b -> !usesQuarkus(b)).collect(Collectors.toList());
    Result result;
    try {
      result = compile(rest, probes, classPath(), true);
      if (!quarkus.isEmpty()) {
        Result q = compile(quarkus, probes, quarkusClassPath(), false);
        result.errors().putAll(q.errors());
        result.classNames().putAll(q.classNames());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Map<Block, List<String>> errors = new LinkedHashMap<>();
    blocks.forEach(b -> errors.put(b, result.errors().get(b)));
    return new Result(result.loader(), errors, result.classNames());
  }

  /**
   * Whether a block uses Quarkus: compiled apart, against Quarkus' class path (its Vert.x 4.5 is not the tests'
   * Vert.x 5) and wsauth-core, without {@link SnippetGivens} (which is not on that class path).
   */
  static boolean usesQuarkus(Block block) {
    return block.code().contains("import io.quarkus.");
  }

  private static Result compile(List<Block> blocks, Map<Block, String> probes, List<File> classPath,
      boolean givens) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, null);
    try {
      standard.setLocation(StandardLocation.CLASS_PATH, classPath);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    String imports = imports(standard, givens);
    Map<Block, String> classNames = new LinkedHashMap<>();
    Map<JavaFileObject, Block> units = new LinkedHashMap<>();
    for (Block block : blocks) {
      String pkg = packageOf(block.file());
      String header = "package " + pkg + "; " + imports;
      String source;
      String name;
      if (declaresTypes(block)) {
        name = pkg + ".Types" + block.line();
        // A block that is a whole source file (docs/OTHER-SERVERS.md shows one) compiles in the file's package:
        // its package line is blanked, so the lines still map back to the Markdown.
        source = header + "\n" + PACKAGE_LINE.matcher(block.code()).replaceFirst("");
      } else {
        name = pkg + ".Block" + block.line();
        source = header + " public final class Block" + block.line()
            + " { public static void run(Map<String, Object> $out) throws Exception {\n" + block.code()
            + probes.getOrDefault(block, "") + "\n}}\n";
      }
      classNames.put(block, name);
      units.put(new Source(name, source), block);
    }
    Map<String, ByteArrayOutputStream> classes = new HashMap<>();
    JavaFileManager memory = new ForwardingJavaFileManager<>(standard) {
      @Override
      public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
          FileObject sibling) {
        return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension),
            kind) {
          @Override
          public OutputStream openOutputStream() {
            return classes.computeIfAbsent(className, k -> new ByteArrayOutputStream());
          }
        };
      }
    };
    javac.getTask(null, memory, diagnostics, List.of("--release", "17", "-proc:none", "-encoding", "UTF-8"),
        null, units.keySet()).call();
    Map<Block, List<String>> errors = new LinkedHashMap<>();
    blocks.forEach(b -> errors.put(b, new ArrayList<>()));
    for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
      if (d.getKind() != Diagnostic.Kind.ERROR) {
        continue;
      }
      Block block = units.get(d.getSource());
      String message = d.getMessage(Locale.ROOT);
      if (block == null) {
        errors.values().forEach(list -> list.add("(no source) " + message));
      } else {
        long markdownLine = block.line() + d.getLineNumber() - 1;
        errors.get(block).add(block.file() + ":" + markdownLine + ": " + message);
      }
    }
    ClassLoader loader = new ClassLoader(SnippetCompiler.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        ByteArrayOutputStream bytes = classes.get(name);
        if (bytes == null) {
          throw new ClassNotFoundException(name);
        }
        byte[] b = bytes.toByteArray();
        return defineClass(name, b, 0, b.length);
      }
    };
    return new Result(loader, errors, classNames);
  }

  /**
   * The test class path, plus the jars of {@code wsauth.docs.classpath.file} (every test dependency of the examples
   * module, written by the build, including those kept off the tests' run-time class path).
   */
  static List<File> classPath() throws IOException {
    String runtime = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Set<String> entries = new LinkedHashSet<>(List.of(runtime.split(File.pathSeparator)));
    String file = System.getProperty("wsauth.docs.classpath.file");
    if (file != null && Files.isRegularFile(Path.of(file))) {
      entries.addAll(List.of(Files.readString(Path.of(file)).strip().split(File.pathSeparator)));
    }
    return entries.stream().filter(s -> !s.isBlank()).map(File::new).collect(Collectors.toList());
  }

  /**
   * Quarkus WebSockets Next's compile class path ({@code wsauth.docs.quarkus.classpath.file}, written by the module
   * examples/docs-quarkus) without any wsauth jar in it, plus the wsauth-core this test runs with.
   */
  static List<File> quarkusClassPath() throws IOException {
    String file = System.getProperty("wsauth.docs.quarkus.classpath.file");
    if (file == null || !Files.isRegularFile(Path.of(file))) {
      throw new IllegalStateException("no Quarkus class path: build with -am so examples/docs-quarkus writes "
          + file);
    }
    List<File> entries = new ArrayList<>();
    try {
      entries.add(new File(io.github.wsauth.UpgradeRequest.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI()));
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    for (String entry : Files.readString(Path.of(file)).strip().split(File.pathSeparator)) {
      if (!entry.isBlank() && !new File(entry).getName().startsWith("wsauth-")) {
        entries.add(new File(entry));
      }
    }
    return entries;
  }

  private static String imports(StandardJavaFileManager files, boolean givens) {
    StringBuilder imports = new StringBuilder();
    for (String pkg : IMPORTED_PACKAGES) {
      if (exists(files, pkg)) {
        imports.append("import ").append(pkg).append(".*; ");
      }
    }
    if (givens) {
      imports.append("import static ").append(SnippetGivens.class.getName()).append(".*; ");
      imports.append("import ").append(SnippetGivens.class.getName()).append(".*;");
    }
    return imports.toString();
  }

  private static boolean exists(StandardJavaFileManager files, String pkg) {
    try {
      for (StandardLocation location : List.of(StandardLocation.CLASS_PATH, StandardLocation.PLATFORM_CLASS_PATH)) {
        if (files.list(location, pkg, Set.of(JavaFileObject.Kind.CLASS), false).iterator().hasNext()) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A compilation unit in memory; any top-level class name is accepted, so a block may hold several. */
  private static final class Source extends SimpleJavaFileObject {
    private final String text;

    Source(String className, String text) {
      super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
      this.text = text;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }

    @Override
    public boolean isNameCompatible(String simpleName, Kind kind) {
      return kind == Kind.SOURCE;
    }
  }
}
