package io.github.wsauth.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.wsauth.AuthDecision;
import io.github.wsauth.Identity;
import io.github.wsauth.RejectionReason;
import io.github.wsauth.Verification;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.examples.docs.MarkdownSnippets.Block;
import io.github.wsauth.jakarta.JakartaAuthConfig;
import io.github.wsauth.jakarta.WsAuthFilter;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The docs cannot drift: every {@code java} block of README.md and docs/*.md is compiled from the Markdown itself
 * (one dynamic test per block, named {@code <file>:<line>}), and the README's core, JWT, Jakarta (on Tomcat) and
 * Netty blocks also run, with the outcome the README states. See {@link SnippetCompiler} for how a block becomes a compilation unit
 * and {@link SnippetGivens} for the names a snippet may use without declaring them.
 */
class MarkdownSnippetsTest {

  /** README sections whose (only) java block runs below. */
  private static final String CORE_SECTION = "Issue a token, verify it";
  private static final String JAKARTA_SECTION = "Jakarta WebSocket";
  private static final String NETTY_SECTION = "Netty";
  private static final String JWT_SECTION = "JWT tokens";

  /** Compiled once per Markdown file, with the README's run probes. */
  private static final Map<String, SnippetCompiler.Result> COMPILED = new ConcurrentHashMap<>();

  @TestFactory
  Stream<DynamicTest> everyJavaBlock_compiles() {
    List<Block> java = javaBlocks();
    List<Block> skipped = MarkdownSnippets.all().stream()
        .filter(b -> b.language().startsWith("java") && b.markedNotCompiled()).collect(Collectors.toList());
    System.out.println("[docs] " + java.size() + " java blocks to compile; marked not compiled: "
        + skipped.stream().map(Block::name).collect(Collectors.toList()));
    assertThat(java).as("java blocks found in README.md and docs/*.md").hasSizeGreaterThan(20);
    assertThat(skipped).as("java blocks marked not compiled (every block is compiled)").isEmpty();
    return java.stream().map(block -> DynamicTest.dynamicTest(block.name(), () -> {
      List<String> errors = compiled(block.file()).errors().get(block);
      if (!errors.isEmpty()) {
        fail("the java block at " + block.name() + " does not compile:\n" + String.join("\n", errors));
      }
    }));
  }

  @Test
  void aBrokenBlock_failsWithItsMarkdownLineAndTheCompilersMessage() {
    Block broken = MarkdownSnippets.parse("X.md", "text\n\n```java\nClock c = Clock.systemUTC();\nint n = c;\n```\n")
        .get(0);
    Block declaration = MarkdownSnippets.parse("X.md", "```java\nfinal class Y {\n  void f() { g(); }\n}\n```\n").get(0);

    SnippetCompiler.Result result = SnippetCompiler.compile(List.of(broken, declaration), Map.of());

    assertThat(result.errors().get(broken)).singleElement().asString()
        .startsWith("X.md:5: incompatible types: java.time.Clock cannot be converted to int");
    assertThat(result.errors().get(declaration)).singleElement().asString()
        .startsWith("X.md:3: cannot find symbol");
  }

  @Test
  void parse_readsIndentedFences_headings_andBothNotCompiledMarkers() {
    List<Block> blocks = MarkdownSnippets.parse("X.md", String.join("\n",
        "# Top", "## Section", "- item:", "", "  ```java", "  int a = 1;", "    int b = 2;", "  ```",
        "<!-- not compiled: pseudo-code -->", "```java", "magic();", "```",
        "```java-not-compiled", "magic();", "```", ""));

    assertThat(blocks).extracting(Block::line).containsExactly(5, 10, 13);
    assertThat(blocks.get(0).code()).isEqualTo("int a = 1;\n  int b = 2;\n");
    assertThat(blocks.get(0).heading()).isEqualTo("Section");
    assertThat(blocks).extracting(Block::markedNotCompiled).containsExactly(false, true, true);
  }

  @Test
  void readmeCore_issuesThenVerifies_acceptsOnce_thenRejectsTheReplayAs401AlreadyUsed() throws Exception {
    Map<String, Object> out = run(readmeBlock(CORE_SECTION));

    AuthDecision decision = (AuthDecision) out.get("decision");
    assertThat(decision.acceptedIdentity().map(Identity::subject)).contains("alice");
    assertThat(out.get("replay")).isInstanceOfSatisfying(AuthDecision.Rejected.class, r -> {
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.challenges()).containsExactly("Bearer realm=\"wsauth\", error=\"invalid_token\"");
      assertThat(r.reason()).isEqualTo("token already used");
    });
  }

  @Test
  void readmeJwt_signsThenVerifies_acceptsOnce_thenRejectsTheReplayAsAlreadyUsed() throws Exception {
    SnippetGivens.store = TokenStore.inMemory(Clock.systemUTC());
    Map<String, Object> out = run(readmeBlock(JWT_SECTION));

    assertThat(((Verification) out.get("first")).verifiedIdentity().map(Identity::subject)).contains("alice");
    assertThat(out.get("replay")).isEqualTo(Verification.rejected(RejectionReason.ALREADY_USED));
  }

  @Test
  void readmeNetty_pipelineOnARealServer_greetsTheTokensSubject_thenRefusesTheReplayWith401() throws Exception {
    Block block = readmeBlock(NETTY_SECTION);
    Method run = runMethod(block);
    TokenStore store = TokenStore.inMemory(Clock.systemUTC());
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) throws Exception {
              synchronized (SnippetGivens.class) {           // the givens are static: one initialisation at a time
                SnippetGivens.store = store;
                SnippetGivens.ch = channel;
                invoke(run, new HashMap<>());
              }
            }
          }).bind("127.0.0.1", 0).sync().channel();
      int port = ((InetSocketAddress) server.localAddress()).getPort();
      String token = TokenIssuer.opaque(store, TokenPolicy.defaults(), Clock.systemUTC()).issue("alice").value();
      URI uri = URI.create("ws://127.0.0.1:" + port + "/ws?token=" + token);

      assertGreetedThenReplayRefused(uri, "Hello alice!");
      server.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void readmeJakarta_endpointOnTomcatBehindTheFilter_greetsTheTokensSubject_thenRefusesTheReplayWith401()
      throws Exception {
    Block block = readmeBlock(JAKARTA_SECTION);
    SnippetCompiler.Result result = compiled(block.file());
    assertThat(result.errors().get(block)).isEmpty();
    String pkg = SnippetCompiler.packageOf(block.file());
    SnippetGivens.App.STORE = TokenStore.inMemory(Clock.systemUTC());    // before AuthConfigurator.CONFIG is built
    Class<?> endpoint = result.loader().loadClass(pkg + ".ChatEndpoint");
    JakartaAuthConfig config =
        (JakartaAuthConfig) result.loader().loadClass(pkg + ".AuthConfigurator").getField("CONFIG").get(null);

    // As the README says for Tomcat: Tomcat's WebSocket support, then the filter for the endpoint's path.
    Path baseDir = Files.createTempDirectory("wsauth-readme-tomcat");
    Tomcat tomcat = new Tomcat();
    tomcat.setSilent(true);
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", baseDir.toString());
    ((StandardContext) context).setClearReferencesThreadLocals(false);   // no redeploy: skip the leak hunt
    ((StandardContext) context).setClearReferencesRmiTargets(false);
    context.addServletContainerInitializer(new WsSci(), null);
    context.addServletContainerInitializer((classes, servletContext) -> {
      WsAuthFilter.install(servletContext, config, "/chat");
      try {
        ((ServerContainer) servletContext.getAttribute(ServerContainer.class.getName())).addEndpoint(endpoint);
      } catch (DeploymentException e) {
        throw new ServletException(e);
      }
    }, null);
    Tomcat.addServlet(context, "plain", new HttpServlet() {});
    context.addServletMapping("/", "plain");
    tomcat.start();
    try {
      String token = TokenIssuer.opaque(SnippetGivens.App.STORE, TokenPolicy.defaults(), Clock.systemUTC())
          .issue("alice").value();
      assertGreetedThenReplayRefused(
          URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/chat?token=" + token), "Hello alice!");
    } finally {
      tomcat.stop();
      tomcat.destroy();
      try (Stream<Path> files = Files.walk(baseDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** A real client: the first connection gets the greeting; the same URI again is refused with 401. */
  private static void assertGreetedThenReplayRefused(URI uri, String greeting) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    CompletableFuture<String> text = new CompletableFuture<>();
    WebSocket ws = http.newWebSocketBuilder().header("Origin", "https://app.example")
        .buildAsync(uri, new WebSocket.Listener() {
          @Override
          public CompletableFuture<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.complete(data.toString());
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    assertThat(text.get(10, TimeUnit.SECONDS)).isEqualTo(greeting);
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);

    CompletableFuture<WebSocket> replay = http.newWebSocketBuilder().header("Origin", "https://app.example")
        .buildAsync(uri, new WebSocket.Listener() {});
    assertThat(replay).failsWithin(10, TimeUnit.SECONDS)
        .withThrowableThat().havingCause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
  }

  private static Map<String, Object> run(Block block) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    invoke(runMethod(block), out);
    return out;
  }

  private static Method runMethod(Block block) throws Exception {
    SnippetCompiler.Result result = compiled(block.file());
    List<String> errors = result.errors().get(block);
    assertThat(errors).as("compiler errors of " + block.name()).isEmpty();
    return result.loader().loadClass(result.classNames().get(block)).getMethod("run", Map.class);
  }

  private static void invoke(Method run, Map<String, Object> out) throws Exception {
    try {
      run.invoke(null, out);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** The README's java block in {@code section}; it must be the only one there. */
  private static Block readmeBlock(String section) {
    List<Block> inSection = javaBlocks().stream()
        .filter(b -> b.file().equals("README.md") && b.heading().equals(section)).collect(Collectors.toList());
    assertThat(inSection).as("java blocks in README section " + section).hasSize(1);
    return inSection.get(0);
  }

  private static List<Block> javaBlocks() {
    return MarkdownSnippets.all().stream()
        .filter(b -> b.language().equals("java") && !b.markedNotCompiled()).collect(Collectors.toList());
  }

  private static SnippetCompiler.Result compiled(String file) {
    return COMPILED.computeIfAbsent(file, f -> {
      List<Block> blocks = javaBlocks().stream().filter(b -> b.file().equals(f)).collect(Collectors.toList());
      Map<Block, String> probes = new HashMap<>();
      if (f.equals("README.md")) {
        blocks.stream().filter(b -> b.heading().equals(CORE_SECTION)).forEach(b -> probes.put(b,
            "$out.put(\"decision\", decision); $out.put(\"replay\", auth.authenticate(request));"));
        blocks.stream().filter(b -> b.heading().equals(JWT_SECTION)).forEach(b -> probes.put(b,
            "$out.put(\"first\", verifier.verify(token.value())); $out.put(\"replay\", verifier.verify(token.value()));"));
      }
      return SnippetCompiler.compile(blocks, probes);
    });
  }
}
