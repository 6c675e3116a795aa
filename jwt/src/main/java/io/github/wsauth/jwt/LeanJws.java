package io.github.wsauth.jwt;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.github.wsauth.RejectionReason;
import io.github.wsauth.Verification;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * The lean verification path of {@link JwtTokenVerifier}: the decisions of the Nimbus path, in the same order
 * and with the same reasons, without Nimbus's parsing. It runs after the length cap and {@link TokenShape} and
 * reads the header and the claims with {@link LeanJson} from a per-thread buffer, then verifies the signature
 * with a JDK {@link Mac} or {@link Signature} kept per key and thread.
 *
 * <p>Order, as Nimbus's {@code DefaultJWTProcessor} with our stages: header JSON, {@code alg} and the types of
 * {@code typ} and {@code kid} (MALFORMED); an empty signature (MALFORMED); {@code typ} (INVALID_CLAIMS); claims
 * JSON and claim types (MALFORMED); {@code alg} in the allow-list and a {@code kid} (BAD_SIGNATURE); keys of that
 * algorithm's type by {@code kid} from the key source (BAD_SIGNATURE if none); the signature (BAD_SIGNATURE);
 * then {@link ClockClaimsVerifier#check}.
 *
 * <p>What it does not decide it returns as {@link #DEFER}, for the Nimbus path to decide: a header with any
 * parameter other than {@code alg}, {@code typ} and {@code kid} (always a rejection there, but for one of several
 * reasons), {@code alg: none}, and JSON nested deeper than {@link LeanJson#MAX_DEPTH}. No valid wsauth token has
 * any of these, so the lean path answers every token a wsauth issuer makes. Thread-safe.
 */
final class LeanJws {
  /** The answer "let the Nimbus path decide". */
  static final Object DEFER = new Object();

  private static final String TYPE = JwtTokens.TYPE.getType();
  private static final String MEDIA_TYPE = "application/" + TYPE;
  private static final byte[] VALUES = new byte[128];
  private static final Object NON_STRING = new Object();
  private static final int ISS = 1;
  private static final int SUB = 2;
  private static final int AUD = 4;
  private static final int EXP = 8;
  private static final int NBF = 16;
  private static final int IAT = 32;
  private static final int JTI = 64;

  static {
    Arrays.fill(VALUES, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < alphabet.length(); i++) {
      VALUES[alphabet.charAt(i)] = (byte) i;
    }
  }

  private final AllowListKeySelector selector;
  private final ClockClaimsVerifier claimsVerifier;
  /** Keys by binding and kid, for a key source that never changes (a local JWK Set); null otherwise. */
  private final Map<KeyBinding, Map<String, List<Key>>> fixedKeys;
  private final IdentityCache<KeyVerifier> verifiers = new IdentityCache<>();
  private final ThreadLocal<byte[][]> buffers = ThreadLocal.withInitial(() -> new byte[1][256]);

  LeanJws(AllowListKeySelector selector, ClockClaimsVerifier claimsVerifier, JWKSource<SecurityContext> source) {
    this.selector = selector;
    this.claimsVerifier = claimsVerifier;
    if (source instanceof ImmutableJWKSet) {
      this.fixedKeys = new EnumMap<>(KeyBinding.class);
      for (KeyBinding b : KeyBinding.values()) {
        fixedKeys.put(b, new ConcurrentHashMap<>());
      }
    } else {
      this.fixedKeys = null;
    }
  }

  /**
   * Verifies a token that passed the length cap and {@link TokenShape#isCompactJwsOfJsonObjects}: an {@link
   * JwtTokenVerifier.Accepted}, a rejected {@link Verification}, or {@link #DEFER}.
   */
  Object verify(String token) {
    try {
      return verifyChecked(token);
    } catch (LeanJson.Malformed e) {
      return reject(RejectionReason.MALFORMED);
    } catch (LeanJson.TooDeep e) {
      return DEFER;
    } catch (JwtRejection e) {
      return JwtTokenVerifier.rejection(e);
    } catch (KeySourceException e) {
      // The key source failed or was rate-limited: without a key nothing verifies (as the Nimbus path).
      return reject(RejectionReason.BAD_SIGNATURE);
    } catch (RuntimeException e) {
      // Hostile input must never escape as an exception (as the Nimbus path).
      return reject(RejectionReason.MALFORMED);
    }
  }

  private Object verifyChecked(String token)
      throws LeanJson.Malformed, LeanJson.TooDeep, JwtRejection, KeySourceException {
    int dot1 = token.indexOf('.');
    int dot2 = token.indexOf('.', dot1 + 1);
    // Signing input (ASCII) at [0, dot2), then the decoded header, then the decoded payload.
    byte[] buf = buffer(dot2 + dot2);
    for (int i = 0; i < dot2; i++) {
      buf[i] = (byte) token.charAt(i);
    }
    int headerEnd = decode(token, 0, dot1, buf, dot2);
    int payloadEnd = decode(token, dot1 + 1, dot2, buf, headerEnd);

    // Header: alg, typ, kid, and nothing else.
    LeanJson header = new LeanJson(buf, dot2, headerEnd);
    header.beginObject();
    Object alg = null;
    Object typ = null;
    Object kid = null;
    boolean first = true;
    for (String key; (key = header.nextKey(first)) != null; first = false) {
      Object value = header.value();
      switch (key) {
        case "alg":
          alg = once(alg, value);
          break;
        case "typ":
          typ = once(typ, value);
          break;
        case "kid":
          kid = once(kid, value);
          break;
        default:
          return DEFER; // any other parameter: always rejected, the Nimbus path tells why
      }
    }
    if (!(alg instanceof String)) {
      throw LeanJsonErrors.MALFORMED; // alg missing, null or not a string
    }
    if ("none".equals(alg)) {
      return DEFER; // an unsecured JWT: Nimbus parses its header its own way, then refuses it
    }
    if (!isStringOrNull(typ) || !isStringOrNull(kid)) {
      throw LeanJsonErrors.MALFORMED; // typ or kid not a string
    }
    if (kid == LeanJson.NULL) {
      kid = null;
    }
    if (dot2 + 1 == token.length()) {
      return reject(RejectionReason.MALFORMED); // an empty signature
    }
    if (!(typ instanceof String) || !isOurType((String) typ)) {
      throw new JwtRejection(RejectionReason.INVALID_CLAIMS, "unexpected typ");
    }

    // Claims, typed as Nimbus's JWTClaimsSet.parse types them.
    LeanJson payload = new LeanJson(buf, headerEnd, payloadEnd);
    payload.beginObject();
    int seen = 0;
    Object iss = null;
    Object sub = null;
    Object aud = null;
    Object jti = null;
    Instant exp = null;
    Instant nbf = null;
    Instant iat = null;
    Set<String> others = null;
    Map<String, String> attributes = null;
    first = true;
    for (String key; (key = payload.nextKey(first)) != null; first = false) {
      int bit = registered(key);
      if ((seen & bit) != 0) {
        throw LeanJsonErrors.MALFORMED; // a duplicate key
      }
      seen |= bit;
      switch (bit) {
        case ISS:
          iss = stringOrNull(payload.value());
          break;
        case JTI:
          jti = stringOrNull(payload.value());
          break;
        case SUB:
          sub = subject(payload.value());
          break;
        case AUD:
          aud = audience(payload);
          break;
        case EXP:
          exp = numericDate(payload.value());
          break;
        case NBF:
          nbf = numericDate(payload.value());
          break;
        case IAT:
          iat = numericDate(payload.value());
          break;
        default:
          if (others == null) {
            others = new HashSet<>();
          }
          if (!others.add(key)) {
            throw LeanJsonErrors.MALFORMED; // a duplicate key
          }
          Object value = payload.value();
          if (value instanceof String) {
            if (attributes == null) {
              attributes = new HashMap<>();
            }
            attributes.put(key, (String) value);
          }
          break;
      }
    }

    // Key selection, as AllowListKeySelector: the exact alg in the allow-list, a kid, keys of its type.
    KeyBinding binding = KeyBinding.named((String) alg);
    if (binding == null || !selector.allows(binding) || kid == null || ((String) kid).isEmpty()) {
      return reject(RejectionReason.BAD_SIGNATURE);
    }
    List<Key> keys = keys(binding, (String) kid);
    if (keys.isEmpty()) {
      return reject(RejectionReason.BAD_SIGNATURE);
    }
    byte[] signature = decodeSignature(token, dot2 + 1);
    for (Key key : keys) {
      if (verifier(binding, key).verify(buf, dot2, signature)) {
        claimsVerifier.check(iss, aud, sub, jti, iat, exp, nbf);
        return new JwtTokenVerifier.Accepted((String) iss, (String) jti, (String) sub,
            attributes == null ? Map.of() : attributes, exp, iat, nbf);
      }
    }
    return reject(RejectionReason.BAD_SIGNATURE);
  }

  private static Verification reject(RejectionReason reason) {
    return Verification.rejected(reason);
  }

  /** A header parameter's value, refusing a second one of the same name. */
  private static Object once(Object previous, Object value) throws LeanJson.Malformed {
    if (previous != null) {
      throw LeanJsonErrors.MALFORMED; // a duplicate key
    }
    return value;
  }

  /**
   * Nimbus's test, exactly: its verifier looks {@code typ} up in a hash set of JOSEObjectTypes, whose hash is
   * that of the lower-case string and whose equality is {@code equalsIgnoreCase}. So "WSAUTH+JWT" is our type, but
   * "w\u017fauth+jwt" (a long s, equal ignoring case) is not.
   */
  private static boolean isOurType(String typ) {
    int hash = typ.toLowerCase().hashCode();
    return hash == TYPE.toLowerCase().hashCode() && typ.equalsIgnoreCase(TYPE)
        || hash == MEDIA_TYPE.toLowerCase().hashCode() && typ.equalsIgnoreCase(MEDIA_TYPE);
  }

  private static boolean isStringOrNull(Object v) {
    return v == null || v == LeanJson.NULL || v instanceof String;
  }

  private static int registered(String key) {
    switch (key) {
      case "iss":
        return ISS;
      case "sub":
        return SUB;
      case "aud":
        return AUD;
      case "exp":
        return EXP;
      case "nbf":
        return NBF;
      case "iat":
        return IAT;
      case "jti":
        return JTI;
      default:
        return 0;
    }
  }

  /** Nimbus's getString: a string, or null for JSON null; anything else is a parse error. */
  private static String stringOrNull(Object v) throws LeanJson.Malformed {
    if (v == LeanJson.NULL) {
      return null;
    }
    if (v instanceof String) {
      return (String) v;
    }
    throw LeanJsonErrors.MALFORMED;
  }

  /** Nimbus reads a numeric {@code sub} as its decimal string ("interop with non-compliant libs"). */
  private static String subject(Object v) throws LeanJson.Malformed {
    if (v instanceof Long || v instanceof Double) {
      return String.valueOf(v);
    }
    return stringOrNull(v);
  }

  /** Nimbus's audience: a string as a one-element list, an array of strings (and nulls), or null. */
  private static Object audience(LeanJson payload) throws LeanJson.Malformed, LeanJson.TooDeep {
    Object list = payload.stringArray(null, NON_STRING);
    if (list == NON_STRING) {
      throw LeanJsonErrors.MALFORMED; // an array holding a number, object, array or boolean
    }
    if (list != null) {
      return list;
    }
    String single = stringOrNull(payload.value());
    return single == null ? null : List.of(single);
  }

  /** Nimbus's NumericDate: any JSON number, truncated to whole seconds, as {@code new Date(seconds * 1000)}. */
  private static Instant numericDate(Object v) throws LeanJson.Malformed {
    if (v == LeanJson.NULL) {
      return null;
    }
    if (v instanceof Long || v instanceof Double) {
      return Instant.ofEpochMilli(((Number) v).longValue() * 1000L);
    }
    throw LeanJsonErrors.MALFORMED;
  }

  private List<Key> keys(KeyBinding binding, String kid) throws KeySourceException {
    if (fixedKeys == null) {
      return selector.keys(binding, kid, null);
    }
    Map<String, List<Key>> byKid = fixedKeys.get(binding);
    List<Key> keys = byKid.get(kid);
    if (keys == null) {
      keys = List.copyOf(selector.keys(binding, kid, null));
      // Only kids that name keys are kept (made-up kids would fill it), at most a JWK Set's worth.
      if (!keys.isEmpty()) {
        if (byKid.size() >= IdentityCache.MAX_ENTRIES) {
          byKid.clear();
        }
        byKid.put(kid, keys);
      }
    }
    return keys;
  }

  private KeyVerifier verifier(KeyBinding binding, Key key) {
    KeyVerifier v = verifiers.get(key, binding);
    if (v == null) {
      v = new KeyVerifier(binding, key);
      verifiers.put(key, binding, v);
    }
    return v;
  }

  private byte[] buffer(int size) {
    byte[][] holder = buffers.get();
    if (holder[0].length < size) {
      holder[0] = new byte[Math.max(size, 2 * holder[0].length)];
    }
    return holder[0];
  }

  /** Decodes the canonical base64url segment {@code [start, end)} into {@code out} at {@code at}; the new end. */
  static int decode(String s, int start, int end, byte[] out, int at) {
    int o = at;
    int i = start;
    for (; i + 4 <= end; i += 4) {
      int n = VALUES[s.charAt(i)] << 18 | VALUES[s.charAt(i + 1)] << 12 | VALUES[s.charAt(i + 2)] << 6
          | VALUES[s.charAt(i + 3)];
      out[o++] = (byte) (n >> 16);
      out[o++] = (byte) (n >> 8);
      out[o++] = (byte) n;
    }
    int rest = end - i;
    if (rest >= 2) {
      int n = VALUES[s.charAt(i)] << 18 | VALUES[s.charAt(i + 1)] << 12;
      if (rest == 3) {
        n |= VALUES[s.charAt(i + 2)] << 6;
      }
      out[o++] = (byte) (n >> 16);
      if (rest == 3) {
        out[o++] = (byte) (n >> 8);
      }
    }
    return o;
  }

  private static byte[] decodeSignature(String token, int start) {
    int len = token.length() - start;
    byte[] sig = new byte[len / 4 * 3 + (len % 4 == 0 ? 0 : len % 4 - 1)];
    decode(token, start, token.length(), sig, 0);
    return sig;
  }

  /** Shared stackless parse failure. */
  private static final class LeanJsonErrors {
    static final LeanJson.Malformed MALFORMED = new LeanJson.Malformed();
  }

  /**
   * A JDK {@link Mac} or {@link Signature} for one key, one per thread (neither is thread-safe; creating and
   * initialising one costs more than an HS256 verification). After {@code doFinal} or {@code verify} each is
   * ready for the next input under the same key; after an exception the thread's instance is dropped.
   */
  static final class KeyVerifier {
    private final KeyBinding binding;
    private final Key key;
    private final ThreadLocal<Object> engines = new ThreadLocal<>();
    /** The group order n of the EC key's curve, big-endian, for the range check of r and s. */
    private final byte[] order;

    KeyVerifier(KeyBinding binding, Key key) {
      this.binding = binding;
      this.key = key;
      this.order = key instanceof ECPublicKey ? unsigned(((ECPublicKey) key).getParams().getOrder(), 32) : null;
    }

    /** Whether {@code signature} is valid for the signing input {@code input[0, length)}. */
    boolean verify(byte[] input, int length, byte[] signature) {
      try {
        switch (binding) {
          case HS256: {
            Mac mac = (Mac) engine();
            mac.update(input, 0, length);
            return MessageDigest.isEqual(mac.doFinal(), signature);
          }
          case ES256:
            // JOSE's R || S, each exactly 32 bytes, each in [1, n-1] (as Nimbus's ensureLegalSignature): the
            // JDK's P1363 format takes it as is, with no DER transcoding to get wrong.
            if (signature.length != 64 || !inRange(signature, 0) || !inRange(signature, 32)) {
              return false;
            }
            return verifySignature(input, length, signature);
          case EDDSA:
            return signature.length == Ed25519Jdk.SIGNATURE_BYTES && verifySignature(input, length, signature);
          default:
            return verifySignature(input, length, signature);
        }
      } catch (GeneralSecurityException | RuntimeException e) {
        // A signature the provider cannot read is a failed verification; the engine's state is unknown: drop it.
        engines.remove();
        return false;
      }
    }

    private boolean verifySignature(byte[] input, int length, byte[] signature) throws GeneralSecurityException {
      Signature s = (Signature) engine();
      s.update(input, 0, length);
      return s.verify(signature);
    }

    private Object engine() throws GeneralSecurityException {
      Object e = engines.get();
      if (e == null) {
        e = create();
        engines.set(e);
      }
      return e;
    }

    private Object create() throws GeneralSecurityException {
      switch (binding) {
        case HS256: {
          Mac mac = Mac.getInstance("HmacSHA256");
          mac.init((SecretKey) key);
          return mac;
        }
        case ES256:
          return signature("SHA256withECDSAinP1363Format");
        case EDDSA:
          return signature("Ed25519");
        default:
          return signature("SHA256withRSA");
      }
    }

    private Signature signature(String algorithm) throws GeneralSecurityException {
      Signature s = Signature.getInstance(algorithm);
      s.initVerify((PublicKey) key);
      return s;
    }

    /** 0 < v < n for the 32-byte big-endian v at {@code offset}. */
    private boolean inRange(byte[] sig, int offset) {
      boolean zero = true;
      for (int i = 0; i < 32; i++) {
        zero &= sig[offset + i] == 0;
      }
      return !zero && Arrays.compareUnsigned(sig, offset, offset + 32, order, 0, 32) < 0;
    }

    private static byte[] unsigned(java.math.BigInteger v, int length) {
      byte[] raw = v.toByteArray();
      byte[] out = new byte[length];
      int n = Math.min(raw.length, length);
      System.arraycopy(raw, raw.length - n, out, length - n, n);
      return out;
    }
  }
}
