package io.github.wsauth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import java.security.Key;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;

/**
 * Creates a verifier only for the (algorithm, Java key type) pairs of {@link KeyBinding}, replacing Nimbus's
 * {@code DefaultJWSVerifierFactory} (which has no Ed25519 without Tink). A second line of defence behind the key
 * selector: an HS256 header with a public key, or any other mismatch, gets no verifier at all.
 *
 * <p>Verifiers are kept per key object and algorithm: the key selector hands out the same {@code Key} objects
 * (it converts each JWK once), and Nimbus's verifiers, like ours, are immutable and thread-safe, so building one
 * per token (which copies the key and works out the algorithms it fits) is not needed. Bounded like the
 * selector's cache. Thread-safe.
 */
final class BoundVerifierFactory implements JWSVerifierFactory {
  /** Bound on {@link #verifiers}: far more keys than any JWK Set holds at once. */
  private static final int MAX_CACHED = 64;

  private final JCAContext jca = new JCAContext();
  private final ConcurrentHashMap<Cached, JWSVerifier> verifiers = new ConcurrentHashMap<>();

  @Override
  public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
    Optional<KeyBinding> binding = KeyBinding.of(header.getAlgorithm());
    if (binding.isEmpty()) {
      throw new JOSEException("unsupported algorithm");
    }
    Cached ref = new Cached(key, binding.get());
    JWSVerifier verifier = verifiers.get(ref);
    if (verifier != null) {
      return verifier;
    }
    verifier = create(binding.get(), key);
    if (verifiers.size() >= MAX_CACHED) {
      verifiers.clear();
    }
    verifiers.put(ref, verifier);
    return verifier;
  }

  /** How many verifiers are kept; for tests of the bound. */
  int cachedVerifiers() {
    return verifiers.size();
  }

  private static JWSVerifier create(KeyBinding binding, Key key) throws JOSEException {
    switch (binding) {
      case HS256:
        if (key instanceof SecretKey) {
          return new MACVerifier((SecretKey) key);
        }
        break;
      case ES256:
        if (key instanceof ECPublicKey) {
          return new ECDSAVerifier((ECPublicKey) key);
        }
        break;
      case RS256:
        if (key instanceof RSAPublicKey) {
          return new RSASSAVerifier((RSAPublicKey) key);
        }
        break;
      case EDDSA:
        if (key instanceof EdECPublicKey) {
          return new Ed25519Jdk.Verifier((PublicKey) key);
        }
        break;
      default:
        break;
    }
    throw new JOSEException("key type does not match the algorithm");
  }

  /** A key, by identity, and the binding its verifier was made for. */
  private record Cached(Key key, KeyBinding binding) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Cached c && c.key == key && c.binding == binding;
    }

    @Override
    public int hashCode() {
      return 31 * System.identityHashCode(key) + binding.hashCode();
    }
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return Set.of(JWSAlgorithm.HS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA, JWSAlgorithm.RS256);
  }

  @Override
  public JCAContext getJCAContext() {
    return jca;
  }
}
