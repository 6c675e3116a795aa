package io.github.wsauth.jwt;

import static io.github.wsauth.jwt.TestJwts.AUD;
import static io.github.wsauth.jwt.TestJwts.ISS;
import static io.github.wsauth.jwt.TestJwts.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsauth.Verification;
import io.github.wsauth.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The lean path and the Nimbus path of {@link JwtTokenVerifier} give the same decision (the same identity, or the
 * same reason and detail) on generated and mutated tokens: header and claims written as JSON text with every
 * kind of deviation (types, duplicates, whitespace, escapes, numbers as strings, time edges around the clock and
 * the skew), signed with the right key so the parsers and claim checks are reached, then mutated after signing
 * (bit flips, truncation, alphabet swaps, padding). The attack catalogue ({@link JwtTokenVerifierTest}) goes
 * through both paths as well ({@link DifferentialVerifier}). Seeded, so a failure reproduces.
 */
class JwtDifferentialTest {
  /** 110,000; fewer under mutation testing (the pit profile sets {@code wsauth.differential.tokens}). */
  static final int TOKENS = Integer.getInteger("wsauth.differential.tokens", 110_000);
  private static final long SEED = 0x5eed_18L;
  private static final long T = NOW.getEpochSecond();
  private static final String[] ALGS = {"ES256", "EdDSA", "RS256"};

  private final MutableClock clock = MutableClock.at(NOW);
  private final JwtTokenVerifier verifier =
      (JwtTokenVerifier) JwtTokens.verifier(TestJwts.verifierConfig(clock).build());
  private final Random random = new Random(SEED);

  @Test
  void leanAndNimbusPathsDecideAlikeOnGeneratedAndMutatedTokens() {
    List<String> disagreements = new ArrayList<>();
    int verified = 0;
    int deferred = 0;
    int asymmetric = 0;
    for (int i = 0; i < TOKENS; i++) {
      // Mostly HS256 (cheap to sign and verify); one in 60 tokens with an asymmetric key (ECDSA costs ~1 ms).
      String alg = i % 60 == 0 ? ALGS[random.nextInt(3)] : "HS256";
      asymmetric += alg.equals("HS256") ? 0 : 1;
      String token = generate(alg);
      Verification nimbus = verifier.verifyWithNimbus(token);
      Verification production = verifier.verify(token);
      Verification lean = verifier.verifyLeanOnly(token);
      if (lean == null) {
        deferred++;
      }
      if (!production.equals(nimbus) || (lean != null && !lean.equals(nimbus))) {
        disagreements.add("token #" + i + " " + token + "\n  nimbus: " + nimbus + "\n  lean:   " + lean);
        if (disagreements.size() == 20) {
          break;
        }
      }
      if (nimbus.isVerified()) {
        verified++;
      }
    }
    System.out.printf("differential: %d tokens (%d asymmetric), %d verified, %d deferred to Nimbus%n",
        TOKENS, asymmetric, verified, deferred);
    assertThat(disagreements).as("tokens the paths decide differently").isEmpty();
    // The generator must reach acceptance and the lean path's own decisions often, not only early rejections.
    assertThat(verified).as("verified").isGreaterThan(TOKENS / 20);
    assertThat(deferred).as("deferred to Nimbus").isLessThan(TOKENS / 5);
    assertThat(asymmetric).isGreaterThan(TOKENS / 100);
  }

  private String generate(String alg) {
    String header = header(alg);
    String claims = claims();
    if (random.nextInt(4) == 0) {
      header = mutateJson(header);
    }
    if (random.nextInt(3) == 0) {
      claims = mutateJson(claims);
    }
    TestJwts.Signing signing = TestJwts.signingFor(com.nimbusds.jose.JWSAlgorithm.parse(alg));
    if (random.nextInt(30) == 0) {
      signing = TestJwts.signingFor(com.nimbusds.jose.JWSAlgorithm.HS256); // another key's signature
    }
    String token = TestJwts.tokenFromJson(header.getBytes(StandardCharsets.UTF_8),
        claims.getBytes(StandardCharsets.UTF_8), signing);
    return random.nextInt(5) == 0 ? mutateToken(token) : token;
  }

  private String kid(String alg) {
    switch (alg) {
      case "ES256": return "ec-1";
      case "EdDSA": return "ed-1";
      case "RS256": return "rsa-1";
      default: return "hs-1";
    }
  }

  private String header(String alg) {
    List<String> members = new ArrayList<>();
    members.add("\"alg\":" + pick(q(alg), q(alg), q(alg), q(alg), q(alg), q(alg.toLowerCase()), q("none"),
        q("HS384"), q(""), "null", "1", q("HS256"), q("ES256"), q("EdDSA"), "[" + q(alg) + "]", q(escapeAll(alg))));
    if (random.nextInt(12) != 0) {
      members.add("\"typ\":" + pick(q("wsauth+jwt"), q("wsauth+jwt"), q("wsauth+jwt"), q("WSAUTH+JWT"),
          q("application/wsauth+jwt"), q("JWT"), "null", "7", q("w\u017fauth+jwt"), q(escapeAll("wsauth+jwt")),
          q("wsauth+jwt ")));
    }
    if (random.nextInt(12) != 0) {
      members.add("\"kid\":" + pick(q(kid(alg)), q(kid(alg)), q(kid(alg)), q(kid(alg)), q("hs-1"), q("ec-1"),
          q("unknown"), q(""), "null", "1", q(escapeAll(kid(alg)))));
    }
    if (random.nextInt(8) == 0) {
      members.add(pick("\"crit\":[\"exp\"]", "\"crit\":[]", "\"crit\":5", "\"cty\":\"JWT\"", "\"b64\":false",
          "\"b64\":\"no\"", "\"jku\":\"https://evil.example/jwks\"", "\"jku\":\"::\"", "\"x5u\":5",
          "\"jwk\":{\"kty\":\"oct\",\"k\":\"AAAA\"}", "\"jwk\":7", "\"x5c\":[\"AAAA\"]", "\"enc\":\"A128GCM\"",
          "\"zip\":\"DEF\"", "\"custom\":1", "\"alg\":\"HS256\"", "\"typ\":\"wsauth+jwt\"", "\"kid\":\"hs-1\"",
          "\"kid\":null", "\"x5t\":\"###\""));
    }
    if (random.nextInt(4) == 0) {
      Collections.shuffle(members, random);
    }
    return object(members);
  }

  private String claims() {
    long iat = T + pickLong(0, 0, 0, -1, -10, -59, -60, -61, 4, 5, 6, 100, -3600);
    long life = pickLong(60, 60, 60, 30, 1, 0, -1, 61, 59);
    List<String> members = new ArrayList<>();
    addMaybe(members, "iss", q(ISS), q(ISS), q(ISS), q(ISS), q(ISS + "/"), q(""), "null", "1", "[" + q(ISS) + "]",
        q(escapeAll(ISS)));
    addMaybe(members, "sub", q("alice"), q("alice"), q("alice"), q(""), "null", "42", "-0", "1.5", "1e2",
        "12345678901234567890", "true", "{}", "[\"alice\"]", q("al\\u0069ce"), q("\\ud800"), q("\u00e9l\u00e8ve"));
    addMaybe(members, "aud", q(AUD), q(AUD), q(AUD), "[" + q(AUD) + "]", "[" + q(AUD) + "," + q("x") + "]", "[]",
        "null", "[null]", "[" + q(AUD) + ",null]", "[1]", "[[" + q(AUD) + "]]", "1", "{}", q(AUD + "x"),
        q(escapeAll(AUD)));
    String iatText = String.valueOf(iat);
    addMaybe(members, "iat", iatText, iatText, iatText, iatText, q(iatText), "null", iatText + ".9",
        iat + "e0", "-" + iatText, "1e400", "9223372036854775807", "true");
    long exp = iat + life;
    String expText = String.valueOf(exp);
    addMaybe(members, "exp", expText, expText, expText, expText, q(expText), "null", expText + ".5", exp + "E0",
        String.valueOf(T - 5), String.valueOf(T - 6), String.valueOf(T - 4), "9223372036854775807", "-1",
        "18446744073709551616", "1.7e9", "[]");
    if (random.nextInt(5) == 0) {
      members.add("\"nbf\":" + pick(String.valueOf(T), String.valueOf(T + 5), String.valueOf(T + 6), "null",
          q(String.valueOf(T)), String.valueOf(T + 4) + ".99"));
    }
    addMaybe(members, "jti", q("id-" + random.nextInt(1000)), q("id-1"), q("id-2"), q(""), "null", "5",
        q("x".repeat(257)), q("x".repeat(256)));
    if (random.nextInt(3) == 0) {
      members.add(pick("\"role\":\"admin\"", "\"level\":3", "\"tags\":[\"a\",\"b\"]", "\"n\":{\"a\":1,\"a\":2}",
          "\"deep\":" + "[".repeat(40) + "]".repeat(40), "\"deep\":" + "[".repeat(20) + "]".repeat(20),
          "\"r\\u006fle\":\"x\"", "\"e\":\"\\u00e9\\n\\t\\\"\\\\\\/\"", "\"iss\":" + q(ISS), "\"sub\":\"bob\"",
          "\"role\":\"a\",\"role\":\"b\"", "\"\":\"empty\"", "\"x\":null", "\"f\":false", "\"t\":true",
          "\"big\":1e308", "\"neg\":-0.0", "\"\\u0069ss\":" + q(ISS), "\"u\":\"\\uD83D\\uDE00\"",
          "\"w\":184467440737095516163", "\"w\":-368934881474191032320", "\"w\":18446744073709551616",
          "\"long\":" + "7".repeat(600), "\"long\":" + "7".repeat(1100), "\"w\":1" + "0".repeat(19) + ".5"));
    }
    if (random.nextInt(3) == 0) {
      Collections.shuffle(members, random);
    }
    return object(members);
  }

  private void addMaybe(List<String> members, String name, String... values) {
    if (random.nextInt(20) != 0) {
      members.add("\"" + name + "\":" + pick(values));
    }
  }

  private String object(List<String> members) {
    StringBuilder b = new StringBuilder();
    b.append(ws()).append('{');
    for (int i = 0; i < members.size(); i++) {
      if (i > 0) {
        b.append(ws()).append(',');
      }
      String m = members.get(i);
      if (random.nextInt(10) == 0) {
        m = m.replaceFirst("\":", "\"" + ws() + ":" + ws());
      }
      b.append(ws()).append(m);
    }
    return b.append(ws()).append('}').append(ws()).toString();
  }

  private String ws() {
    int r = random.nextInt(40);
    if (r >= 5) {
      return "";
    }
    return new String[] {" ", "\n", "\t", "\r", "\f"}[random.nextInt(r == 0 ? 5 : 4)];
  }

  /** A random edit of the JSON text: delete, insert or replace a character, or repeat a slice. */
  private String mutateJson(String json) {
    String alphabet = "{}[]\":,\\ 0123456789eE.+-tfnulx\u00e9\u0001";
    StringBuilder b = new StringBuilder(json);
    int edits = 1 + random.nextInt(2);
    for (int e = 0; e < edits && b.length() > 1; e++) {
      int at = random.nextInt(b.length());
      switch (random.nextInt(5)) {
        case 0 -> b.deleteCharAt(at);
        case 1 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
        case 2 -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
        case 3 -> {
          int end = Math.min(b.length(), at + 1 + random.nextInt(12));
          b.insert(end, b.substring(at, end));
        }
        default -> b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
    }
    return b.toString();
  }

  /** A random edit of the signed token: bit flip, truncation, alphabet swap, padding, dots, whitespace. */
  private String mutateToken(String token) {
    StringBuilder b = new StringBuilder(token);
    int at = random.nextInt(b.length());
    switch (random.nextInt(9)) {
      case 0 -> {
        char c = b.charAt(at);
        b.setCharAt(at, c == '.' ? '.' : (char) (c ^ (1 << random.nextInt(6))));
      }
      case 1 -> b.setLength(at);
      case 2 -> {
        for (int i = 0; i < b.length(); i++) {
          b.setCharAt(i, b.charAt(i) == '-' ? '+' : b.charAt(i) == '_' ? '/' : b.charAt(i));
        }
      }
      case 3 -> b.append(random.nextBoolean() ? "=" : "==");
      case 4 -> b.insert(at, random.nextBoolean() ? '.' : ' ');
      case 5 -> {
        int last = b.length() - 1; // a non-canonical last character (stray low bits)
        b.setCharAt(last, (char) (b.charAt(last) + 1));
      }
      case 6 -> {
        String[] parts = token.split("\\.", -1);
        if (parts.length == 3) {
          return parts[0] + "." + parts[1] + ".";
        }
      }
      case 7 -> {
        String[] parts = token.split("\\.", -1);
        if (parts.length == 3 && parts[2].length() > 4) {
          return parts[0] + "." + parts[1] + "." + parts[2].substring(0, parts[2].length() - 4);
        }
      }
      default -> b.setCharAt(at, "AZaz09-_".charAt(random.nextInt(8)));
    }
    return b.toString();
  }

  private static String q(String s) {
    return "\"" + s + "\"";
  }

  /** Every character as a {@code \\u} escape, alternating case of the hex digits. */
  private static String escapeAll(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      b.append(String.format(i % 2 == 0 ? "\\u%04x" : "\\u%04X", (int) s.charAt(i)));
    }
    return b.toString();
  }

  /** The first option (the valid one) in seven cases of eight, else any: most tokens deviate in few places. */
  private String pick(String... options) {
    return random.nextInt(8) != 0 ? options[0] : options[random.nextInt(options.length)];
  }

  private long pickLong(long... options) {
    return random.nextInt(8) != 0 ? options[0] : options[random.nextInt(options.length)];
  }
}
