package io.github.wsauth;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link AuthListener} that keeps every event, for assertions. */
final class RecordingListener implements AuthListener {
  final List<AuthEvent> accepted = new CopyOnWriteArrayList<>();
  final List<AuthEvent> rejected = new CopyOnWriteArrayList<>();

  @Override
  public void onAccepted(AuthEvent event) {
    accepted.add(event);
  }

  @Override
  public void onRejected(AuthEvent event) {
    rejected.add(event);
  }

  List<AuthEvent> all() {
    List<AuthEvent> all = new CopyOnWriteArrayList<>(accepted);
    all.addAll(rejected);
    return all;
  }
}
