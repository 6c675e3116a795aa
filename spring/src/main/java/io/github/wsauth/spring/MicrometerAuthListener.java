package io.github.wsauth.spring;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.github.wsauth.AuthEvent;
import io.github.wsauth.AuthListener;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts wsauth's decisions in Micrometer: {@value #DECISIONS} with the tags {@code stage} ({@code handshake},
 * {@code first_message}), {@code outcome} ({@code accepted}, {@code rejected}), {@code reason} (core's short public
 * reason, or {@code other} for anything that is not a plain phrase), {@code source} (the credential source, or
 * {@code none}) and {@code code} (the HTTP status or close code). No tag ever holds a token or a subject.
 * Registered by the auto-configuration when Micrometer is on the class path; thread-safe.
 */
public final class MicrometerAuthListener implements AuthListener {
  /** The counter's name: {@value}. */
  public static final String DECISIONS = "wsauth.auth.decisions";
  /** The verification timer's name: {@value}. */
  public static final String VERIFICATION = "wsauth.auth.verification";
  /**
   * The name of the gauge of live authenticated connections (the size of the {@code ConnectionRegistry} bean),
   * registered by the auto-configuration: {@value}.
   */
  public static final String LIVE_CONNECTIONS = "wsauth.connections.live";

  private static final Pattern PLAIN = Pattern.compile("[a-z][a-z -]{0,47}");

  private final Supplier<MeterRegistry> registry;

  /** A listener counting into {@code registry}. */
  public MicrometerAuthListener(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry must not be null");
    this.registry = () -> registry;
  }

  /** A listener counting into the registry {@code registry} supplies when an event comes (null: not counted). */
  MicrometerAuthListener(Supplier<MeterRegistry> registry) {
    this.registry = registry;
  }

  @Override
  public void onAccepted(AuthEvent event) {
    count(event);
  }

  @Override
  public void onRejected(AuthEvent event) {
    count(event);
  }

  private void count(AuthEvent event) {
    MeterRegistry r = registry.get();
    if (r == null) {
      return;
    }
    r.counter(DECISIONS,
        "stage", event.stage().name().toLowerCase(Locale.ROOT),
        "outcome", event.accepted() ? "accepted" : "rejected",
        "reason", reasonTag(event.reason()),
        "source", event.source().map(s -> s.name().toLowerCase(Locale.ROOT)).orElse("none"),
        "code", Integer.toString(event.code()))
        .increment();
  }

  /** Core's reasons are short fixed phrases; anything else is not a tag value. */
  static String reasonTag(String reason) {
    return reason != null && PLAIN.matcher(reason).matches() ? reason : "other";
  }

  @Override
  public String toString() {
    return "MicrometerAuthListener[" + DECISIONS + "]";
  }
}
