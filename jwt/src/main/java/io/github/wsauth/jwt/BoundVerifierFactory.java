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
import javax.crypto.SecretKey;

/**
 * Creates a verifier only for the (algorithm, Java key type) pairs of {@link KeyBinding}, replacing Nimbus's
 * {@code DefaultJWSVerifierFactory} (which has no Ed25519 without Tink). A second line of defence behind the key
 * selector: an HS256 header with a public key, or any other mismatch, gets no verifier at all.
 *
 * <p>Verifiers are kept per key object and algorithm: the key selector hands out the same {@code Key} objects
 * (it converts each JWK once), and Nimbus's verifiers, like ours, are immutable and thread-safe, so building one
 * per token (which copies the key and works out the algorithms it fits) is not needed ({@link IdentityCache}).
 * Thread-safe.
 */
final class BoundVerifierFactory implements JWSVerifierFactory {
  private final JCAContext jca = new JCAContext();
  private final IdentityCache<JWSVerifier> verifiers = new IdentityCache<>();

  @Override
  public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
    Optional<KeyBinding> binding = KeyBinding.of(header.getAlgorithm());
    if (binding.isEmpty()) {
      throw new JOSEException("unsupported algorithm");
    }
    JWSVerifier verifier = verifiers.get(key, binding.get());
    if (verifier == null) {
      verifier = create(binding.get(), key);
      verifiers.put(key, binding.get(), verifier);
    }
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

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return Set.of(JWSAlgorithm.HS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA, JWSAlgorithm.RS256);
  }

  @Override
  public JCAContext getJCAContext() {
    return jca;
  }
}
