package dev.abstractions.server.grpc;

import dev.abstractions.server.store.OperationRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque page tokens: URL-safe base64 of a kind prefix and a position, so a token from one listing
 * is rejected by another and clients do not come to depend on the format.
 */
final class PageTokens {

  /** Returned by {@link #operationPosition} for a token that is not ours. */
  static final OperationRegistry.Position INVALID = new OperationRegistry.Position(-1, "");

  private static final String LIST = "list:";
  private static final String HISTORY = "history:";
  private static final String OPERATIONS = "ops:";
  private static final String TREE = "tree:";
  private static final String TREE_HISTORY = "treehistory:";

  /** Where a tree page starts: the tree version every page reads at (0 before the first) and the last lineage id. */
  record TreePosition(long treeVersion, String afterLineageId) {}

  private PageTokens() {}

  static String forList(String lastLineageId) {
    return encode(LIST + lastLineageId);
  }

  static String forHistory(long nextVersion) {
    return encode(HISTORY + nextVersion);
  }

  static String forTree(long treeVersion, String lastLineageId) {
    return encode(TREE + treeVersion + ":" + lastLineageId);
  }

  static String forTreeHistory(long nextTreeVersion) {
    return encode(TREE_HISTORY + nextTreeVersion);
  }

  /** Where a tree page starts ((0, "") for no token), or null if the token is not ours. */
  static TreePosition treePosition(String token) {
    if (token.isEmpty()) {
      return new TreePosition(0, "");
    }
    String decoded = decode(token);
    if (decoded == null || !decoded.startsWith(TREE)) {
      return null;
    }
    String[] parts = decoded.substring(TREE.length()).split(":", 2);
    try {
      long treeVersion = parts.length == 2 ? Long.parseLong(parts[0]) : 0;
      return treeVersion >= 1 ? new TreePosition(treeVersion, parts[1]) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The tree version a tree history page starts at (1 for no token), or -1 if the token is not ours. */
  static long treeHistoryPosition(String token) {
    if (token.isEmpty()) {
      return 1;
    }
    String decoded = decode(token);
    if (decoded == null || !decoded.startsWith(TREE_HISTORY)) {
      return -1;
    }
    try {
      long treeVersion = Long.parseLong(decoded.substring(TREE_HISTORY.length()));
      return treeVersion >= 1 ? treeVersion : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static String forOperations(OperationRegistry.Position last) {
    return encode(OPERATIONS + last.createdAtNs() + ":" + last.id());
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

  /** Where an operations page starts after (null for no token), or {@link #INVALID}. */
  static OperationRegistry.Position operationPosition(String token) {
    if (token.isEmpty()) {
      return null;
    }
    String decoded = decode(token);
    if (decoded == null || !decoded.startsWith(OPERATIONS)) {
      return INVALID;
    }
    String[] parts = decoded.substring(OPERATIONS.length()).split(":", 2);
    try {
      return parts.length == 2 ? new OperationRegistry.Position(Long.parseLong(parts[0]), parts[1]) : INVALID;
    } catch (NumberFormatException e) {
      return INVALID;
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
