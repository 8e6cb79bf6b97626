package dev.abstractions.server.store;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Lineage and version identifiers: random (version 4) UUIDs in canonical lowercase text form.
 * Thread-safe; generation draws from {@link ThreadLocalRandom}, so it never contends across
 * threads (the ids identify, they are not secrets).
 */
public final class Ids {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Ids() {}

  /** A new random UUID, e.g. {@code 3f2c1e4a-9b7d-4c21-8e5f-0a1b2c3d4e5f}. */
  public static String newId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
    long lsb = (random.nextLong() & ~(0xC0L << 56)) | (0x80L << 56); // IETF variant
    char[] out = new char[36];
    int pos = 0;
    for (int i = 0; i < 16; i++) {
      if (i == 4 || i == 6 || i == 8 || i == 10) {
        out[pos++] = '-';
      }
      long word = i < 8 ? msb : lsb;
      int b = (int) (word >>> (56 - 8 * (i % 8))) & 0xFF;
      out[pos++] = HEX[b >>> 4];
      out[pos++] = HEX[b & 0xF];
    }
    return new String(out);
  }

  /**
   * The canonical (lowercase) form of {@code text} if it is a UUID in 8-4-4-4-12 hex form (either
   * case), otherwise null. Stricter than {@link java.util.UUID#fromString}, which accepts short
   * groups.
   */
  public static String canonical(String text) {
    if (text.length() != 36) {
      return null;
    }
    boolean upper = false;
    for (int i = 0; i < 36; i++) {
      char c = text.charAt(i);
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != '-') {
          return null;
        }
      } else if (c >= 'A' && c <= 'F') {
        upper = true;
      } else if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
        return null;
      }
    }
    // Every id is checked, and most are already lowercase: no second pass over them.
    return upper ? text.toLowerCase(Locale.ROOT) : text;
  }
}
