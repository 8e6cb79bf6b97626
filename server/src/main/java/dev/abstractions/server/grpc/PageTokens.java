package dev.abstractions.server.grpc;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque page tokens: URL-safe base64 of a kind prefix and a position, so a token from one listing
 * is rejected by another and clients do not come to depend on the format.
 */
final class PageTokens {

  private static final String LIST = "list:";
  private static final String HISTORY = "history:";

  private PageTokens() {}

  static String forList(String lastLineageId) {
    return encode(LIST + lastLineageId);
  }

  static String forHistory(long nextVersion) {
    return encode(HISTORY + nextVersion);
  }

  /** The lineage id a list page starts after ("" for no token), or null if the token is not ours. */
  static String listPosition(String token) {
    if (token.isEmpty()) {
      return "";
    }
    String decoded = decode(token);
    return decoded != null && decoded.startsWith(LIST) ? decoded.substring(LIST.length()) : null;
  }

  /** The version a history page starts at (1 for no token), or -1 if the token is not ours. */
  static long historyPosition(String token) {
    if (token.isEmpty()) {
      return 1;
    }
    String decoded = decode(token);
    if (decoded == null || !decoded.startsWith(HISTORY)) {
      return -1;
    }
    try {
      long version = Long.parseLong(decoded.substring(HISTORY.length()));
      return version >= 1 ? version : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static String encode(String position) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
