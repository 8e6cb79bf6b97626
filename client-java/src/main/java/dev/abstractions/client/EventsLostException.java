package dev.abstractions.client;

import com.google.rpc.BadRequest.FieldViolation;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * OUT_OF_RANGE ({@code EVENTS_NOT_RETAINED}): events a subscription needed have left the server's
 * bounded log, so continuing would skip them. Either the start asked for was older than the
 * oldest retained event, or the subscriber fell so far behind that the log overtook it. The
 * application decides what to do (e.g. re-read the entities, then subscribe from now). Immutable.
 */
public final class EventsLostException extends EntityServiceException {

  EventsLostException(StatusRuntimeException cause, String reason, Map<String, String> metadata,
      List<FieldViolation> violations) {
    super(cause, reason, metadata, violations);
  }

  /** The oldest sequence the server still holds. */
  public long oldestSequence() {
    return Long.parseLong(metadata().get("oldest_sequence"));
  }

  /** The sequence the stream had reached when the server ended it; empty when a start was refused. */
  public OptionalLong resumeSequence() {
    return optionalLong("resume_sequence");
  }

  /** The last sequence written when a start was refused; empty when a running stream was ended. */
  public OptionalLong headSequence() {
    return optionalLong("head_sequence");
  }

  private OptionalLong optionalLong(String key) {
    String value = metadata().get(key);
    return value == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value));
  }
}
