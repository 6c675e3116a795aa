package io.github.wsauth.internal;

import java.util.Map;
import java.util.Objects;

/**
 * Validation of what issuers put into tokens, shared by every issuer (the opaque issuer in core, the JWT issuer
 * in {@code wsauth-jwt}). Internal: not part of the API, and not exported to applications.
 */
public final class Subjects {
  /** Longest subject accepted by issuers. */
  public static final int MAX_SUBJECT_LENGTH = 256;
  /** Most attributes accepted by issuers. */
  public static final int MAX_ATTRIBUTES = 32;
  /** Longest attribute name or value accepted by issuers. */
  public static final int MAX_ATTRIBUTE_LENGTH = 1024;

  private Subjects() {}

  /**
   * Checks a subject and its attributes, failing fast with a precise message.
   *
   * @throws IllegalArgumentException if the subject is empty, too long or holds a control character, or the
   *     attributes are too many or too long, or any of them holds an unpaired UTF-16 surrogate (not Unicode text:
   *     it would not survive a UTF-8 database column, a JWT or the JDBC store's JSON column)
   */
  public static void validate(String subject, Map<String, String> attributes) {
    Objects.requireNonNull(subject, "subject must not be null");
    Objects.requireNonNull(attributes, "attributes must not be null");
    if (subject.isEmpty()) {
      throw new IllegalArgumentException("subject must not be empty");
    }
    if (subject.length() > MAX_SUBJECT_LENGTH) {
      throw new IllegalArgumentException("subject must not be longer than " + MAX_SUBJECT_LENGTH + " characters");
    }
    if (CharClasses.hasControl(subject)) {
      throw new IllegalArgumentException("subject must not contain control characters");
    }
    if (hasUnpairedSurrogate(subject)) {
      throw new IllegalArgumentException("subject must not contain unpaired surrogates");
    }
    if (attributes.size() > MAX_ATTRIBUTES) {
      throw new IllegalArgumentException("at most " + MAX_ATTRIBUTES + " attributes are allowed");
    }
    attributes.forEach((k, v) -> {
      Objects.requireNonNull(k, "attribute name must not be null");
      Objects.requireNonNull(v, "attribute value must not be null");
      if (k.isEmpty() || k.length() > MAX_ATTRIBUTE_LENGTH || v.length() > MAX_ATTRIBUTE_LENGTH) {
        throw new IllegalArgumentException("attribute names must be 1 to " + MAX_ATTRIBUTE_LENGTH
            + " characters and values at most " + MAX_ATTRIBUTE_LENGTH);
      }
      if (hasUnpairedSurrogate(k) || hasUnpairedSurrogate(v)) {
        throw new IllegalArgumentException("attribute names and values must not contain unpaired surrogates");
      }
    });
  }

  private static boolean hasUnpairedSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }
}
