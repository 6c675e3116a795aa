package io.github.wsauth.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The public API of each published module, rendered from its compiled classes and compared with the committed record
 * {@code <module>/api/<artifactId>.txt}, so that an API change is a visible diff in review. Covers the public and
 * protected types, constructors, methods and fields of the exported packages (the module-info's unqualified exports
 * when there is one; otherwise every package but {@code *.internal*}). Run with {@code -Dwsauth.api.update=true} to
 * rewrite the records after an intended change. Lives here because this module sees every published module.
 */
class PublicApiTest {
  /** Module directory to artifactId of every published module, in reactor order. */
  private static final Map<String, String> MODULES = new LinkedHashMap<>();

  static {
    MODULES.put("core", "wsauth-core");
    MODULES.put("testkit", "wsauth-testkit");
    MODULES.put("jakarta-adapter", "wsauth-jakarta");
    MODULES.put("netty-adapter", "wsauth-netty");
    MODULES.put("jwt", "wsauth-jwt");
    MODULES.put("spring", "wsauth-spring");
  }

  private static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("..");

  static Stream<String> modules() {
    return MODULES.keySet().stream().filter(dir -> Files.isRegularFile(ROOT.resolve(dir).resolve("pom.xml")));
  }

  @ParameterizedTest
  @MethodSource("modules")
  void publicApi_matchesTheCommittedRecord(String dir) throws IOException {
    Path classes = ROOT.resolve(dir).resolve("target/classes");
    assertThat(classes).as("compiled classes of %s (build the reactor)", dir).isDirectory();
    String rendered = render(classes);
    Path record = ROOT.resolve(dir).resolve("api").resolve(MODULES.get(dir) + ".txt");
    if (Boolean.getBoolean("wsauth.api.update")) {
      Files.createDirectories(record.getParent());
      Files.writeString(record, rendered, StandardCharsets.UTF_8);
    }
    assertThat(record).as("API record (create it with -Dwsauth.api.update=true)").isRegularFile();
    assertThat(rendered)
        .as("public API of %s differs from %s: review the change, then rerun with -Dwsauth.api.update=true",
            dir, ROOT.relativize(record))
        .isEqualTo(Files.readString(record, StandardCharsets.UTF_8));
  }

  static String render(Path classes) throws IOException {
    Set<String> exported = exportedPackages(classes);
    List<String> names;
    try (Stream<Path> files = Files.walk(classes)) {
      names = files.map(p -> classes.relativize(p).toString().replace('\\', '/'))
          .filter(n -> n.endsWith(".class") && !n.endsWith("module-info.class") && !n.endsWith("package-info.class"))
          .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
          .sorted()
          .collect(Collectors.toList());
    }
    StringBuilder out = new StringBuilder();
    for (String name : names) {
      Class<?> type;
      try {
        type = Class.forName(name, false, PublicApiTest.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new AssertionError("cannot load " + name, e);
      }
      if (!exported.contains(type.getPackageName()) || !visible(type)) {
        continue;
      }
      out.append(header(type)).append('\n');
      Set<String> members = new TreeSet<>();
      for (Constructor<?> c : type.getDeclaredConstructors()) {
        if (visible(c)) {
          members.add(strip(c.toGenericString(), type, type.getName()));
        }
      }
      for (Method m : type.getDeclaredMethods()) {
        if (visible(m) && !m.isSynthetic() && !m.isBridge()) {
          members.add(strip(m.toGenericString(), type, m.getName()));
        }
      }
      for (Field f : type.getDeclaredFields()) {
        if (visible(f) && !f.isSynthetic()) {
          members.add(strip(f.toGenericString(), type, f.getName()));
        }
      }
      members.forEach(m -> out.append("  ").append(m).append('\n'));
    }
    return out.toString();
  }

  private static Set<String> exportedPackages(Path classes) throws IOException {
    Path moduleInfo = classes.resolve("module-info.class");
    if (Files.isRegularFile(moduleInfo)) {
      try (InputStream in = Files.newInputStream(moduleInfo)) {
        return ModuleDescriptor.read(in).exports().stream()
            .filter(e -> !e.isQualified())
            .map(ModuleDescriptor.Exports::source)
            .collect(Collectors.toCollection(TreeSet::new));
      }
    }
    try (Stream<Path> files = Files.walk(classes)) {
      return files.filter(p -> p.toString().endsWith(".class"))
          .map(p -> classes.relativize(p.getParent()).toString().replace('\\', '/').replace('/', '.'))
          .filter(p -> !p.equals("internal") && !p.contains(".internal"))
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** Public or protected, and so is every enclosing type. */
  private static boolean visible(Class<?> type) {
    for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
      if (t.isAnonymousClass() || t.isLocalClass() || (t.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED)) == 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean visible(Member member) {
    return (member.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED)) != 0;
  }

  private static String header(Class<?> type) {
    StringBuilder line = new StringBuilder(type.toGenericString());
    Type superclass = type.getGenericSuperclass();
    if (superclass != null && superclass != Object.class && superclass != Record.class
        && !(type.isEnum() && type.getSuperclass() == Enum.class)) {
      line.append(" extends ").append(superclass.getTypeName());
    }
    Type[] interfaces = type.getGenericInterfaces();
    if (interfaces.length > 0) {
      line.append(type.isInterface() ? " extends " : " implements ")
          .append(Arrays.stream(interfaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
    }
    if (type.isSealed()) {
      List<String> permitted = new ArrayList<>();
      for (Class<?> p : type.getPermittedSubclasses()) {
        permitted.add(p.getName());
      }
      permitted.sort(null);
      line.append(" permits ").append(String.join(", ", permitted));
    }
    return line.toString();
  }

  /** The member without its declaring type's name: {@code public int a.b.C.size()} becomes {@code public int size()}. */
  private static String strip(String generic, Class<?> type, String name) {
    return generic.replace(type.getName() + "." + name, name);
  }
}
