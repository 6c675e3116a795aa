package io.github.wsauth;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Runs every extractor; one credential wins, a malformed one or two different ones make the request malformed. */
final class FirstOfExtractor implements CredentialExtractor {
  private final CredentialExtractor[] extractors;
  private final Set<CredentialSource> sources;

  FirstOfExtractor(List<CredentialExtractor> extractors) {
    if (extractors.isEmpty()) {
      throw new IllegalArgumentException("firstOf needs at least one extractor");
    }
    this.extractors = extractors.toArray(new CredentialExtractor[0]);
    EnumSet<CredentialSource> all = EnumSet.noneOf(CredentialSource.class);
    for (CredentialExtractor e : this.extractors) {
      Objects.requireNonNull(e, "extractor must not be null");
      all.addAll(e.sources());
    }
    this.sources = Set.copyOf(all);
  }

  /** The chained extractors, in order. */
  List<CredentialExtractor> extractors() {
    return List.of(extractors);
  }

  @Override
  public Set<CredentialSource> sources() {
    return sources;
  }

  @Override
  public Extraction extract(UpgradeRequest request) {
    Extraction.Present first = null;
    for (CredentialExtractor extractor : extractors) {
      Extraction e = extractor.extract(request);
      if (e instanceof Extraction.Malformed) {
        return e;
      }
      if (e instanceof Extraction.Present p) {
        if (first == null) {
          first = p;
        } else if (!first.credential().sameSecretAs(p.credential())) {
          return Extraction.malformed(first.credential().source(), "more than one credential in the request");
        } else if (p.applicationSubprotocols().size() < first.applicationSubprotocols().size()) {
          // The same token in a subprotocol entry too: keep the token entry out of the selectable list.
          first = Extraction.present(first.credential(), p.applicationSubprotocols());
        }
      }
    }
    return first == null ? Extraction.absent() : first;
  }
}
