package dev.abstractions.server.store;

/** Store limits chosen by configuration. */
public record StoreSettings(int historyLimit, int maxEntityBytes) {

  public StoreSettings {
    if (historyLimit < 1) {
      throw new IllegalArgumentException("historyLimit must be at least 1, was " + historyLimit);
    }
    if (maxEntityBytes < 1) {
      throw new IllegalArgumentException("maxEntityBytes must be at least 1, was " + maxEntityBytes);
    }
  }
}
