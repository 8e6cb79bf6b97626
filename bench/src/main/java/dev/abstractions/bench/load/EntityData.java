package dev.abstractions.bench.load;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The entity data the load runs write, and the entities they start from. Stateless. */
final class EntityData {

  static final String TYPE = "Bench";
  /** Serialized size of {@link #withCount}'s data, as the baselines' payload. */
  static final int BYTES = BareService.PAYLOAD_BYTES;
  private static final String PADDING = padding();

  private EntityData() {}

  /** About {@link #BYTES} bytes serialized: a counter and filler fields. */
  static Struct withCount(double count) {
    return base(count).putFields("note", string(PADDING)).build();
  }

  /** The counter in {@code entity}'s data (0 if absent). */
  static double count(Entity entity) {
    Value value = entity.getData().getFieldsOrDefault("count", null);
    return value == null ? 0 : value.getNumberValue();
  }

  /** An event's server time in epoch nanoseconds, or -1 for a bookmark (no time). */
  static long eventTime(Event event) {
    if (event.getKindCase() == Event.KindCase.PROGRESS || !event.hasTime()) {
      return -1;
    }
    return event.getTime().getSeconds() * 1_000_000_000L + event.getTime().getNanos();
  }

  /**
   * Creates {@code count} entities (data {@code withCount(0)}), entity {@code i} through the channel
   * of slot {@code i}, all at once (a replicated group answers each in a consensus round, which one
   * at a time would take minutes), and returns their ids in that order.
   */
  static List<String> create(Channels channels, int count) {
    List<CompletableFuture<Entity>> created = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      CompletableFuture<Entity> entity = new CompletableFuture<>();
      EntityServiceGrpc.newStub(channels.forSlot(i)).create(
          CreateEntityRequest.newBuilder().setEntityType(TYPE).setData(withCount(0)).build(),
          Unary.of(entity::complete, entity::completeExceptionally));
      created.add(entity);
    }
    return created.stream().map(entity -> entity.join().getLineageId()).toList();
  }

  private static Struct.Builder base(double count) {
    return Struct.newBuilder()
        .putFields("count", Value.newBuilder().setNumberValue(count).build())
        .putFields("name", string("Ada Lovelace"))
        .putFields("email", string("ada@example.org"));
  }

  private static String padding() {
    int withEmptyNote = base(0).putFields("note", string("")).build().getSerializedSize();
    return "x".repeat(Math.max(0, BYTES - withEmptyNote));
  }

  private static Value string(String value) {
    return Value.newBuilder().setStringValue(value).build();
  }
}
