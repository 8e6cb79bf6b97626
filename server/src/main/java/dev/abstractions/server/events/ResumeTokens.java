package dev.abstractions.server.events;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque resume tokens. On this single-node log a token encodes the sequence it follows; a
 * clustered log can encode per-partition positions behind the same string.
 */
public final class ResumeTokens {

  private static final String PREFIX = "seq:";

  private ResumeTokens() {}

  /** The token that resumes right after {@code sequence}. */
  public static String after(long sequence) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((PREFIX + sequence).getBytes(StandardCharsets.US_ASCII));
  }

  /** The sequence a token resumes after, or -1 if it is not a token of this log. */
  public static long sequenceAfter(String token) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
      if (!text.startsWith(PREFIX)) {
        return -1;
      }
      long sequence = Long.parseLong(text.substring(PREFIX.length()));
      return sequence >= 0 ? sequence : -1;
    } catch (IllegalArgumentException e) { // covers NumberFormatException
      return -1;
    }
  }
}
