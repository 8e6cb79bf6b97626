package dev.abstractions.server.store;

import static dev.abstractions.server.core.Counters.INCREMENT;
import static dev.abstractions.server.core.Counters.count;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.server.core.Actor;
import dev.abstractions.server.core.Command;
import dev.abstractions.server.core.Decider;
import dev.abstractions.server.core.EntityVersion;
import dev.abstractions.server.core.Reply;
import dev.abstractions.server.core.StructBytes;
import dev.abstractions.server.core.Time;
import dev.abstractions.server.events.EventLog;
import dev.abstractions.server.events.EventLogSettings;
import dev.abstractions.server.events.EventSignal;
import dev.abstractions.server.memory.MemoryBudget;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The memory backend applying commands: stamps, the bounded history, provenance, listing. */
class InMemoryEntityStoreTest {

  private static final String ID = "6f1c2d3e-4a5b-4c6d-8e7f-101112131415";
  private static final long SECOND = 1_000_000_000L;

  private long tick;

  private static InMemoryEntityStore store(int historyLimit) {
    return new InMemoryEntityStore(new Decider(Map.of("increment", INCREMENT),
            new Decider.Settings(1024, 100, 100, Duration.ofSeconds(5).toNanos(), Decider.TreeLimits.NONE)),
        new EventLog(new EventLogSettings(1000, Duration.ofHours(1)), Clock.systemUTC(), new EventSignal(), MemoryBudget.unlimited()),
        new OperationRegistry(100, Duration.ofMinutes(5).toNanos(), MemoryBudget.unlimited()),
        new RequestTable(100, Duration.ofMinutes(5).toNanos(), MemoryBudget.unlimited()),
        new StoreSettings(historyLimit, 1024), MemoryBudget.unlimited());
  }

  private Time at(long wallNanos) {
    return new Time(++tick, wallNanos);
  }

  private EntityVersion create(InMemoryEntityStore store, Struct data, long wallNanos) {
    return written(store.applyNow(new Command.Create(ID, "", "T", StructBytes.of(data), "ecs-1", at(wallNanos))).reply());
  }

  private EntityVersion update(InMemoryEntityStore store, Struct data, long wallNanos) {
    long head = store.read(ID, 0).entity().version();
    return written(store.applyNow(new Command.Update(ID, head, StructBytes.of(data), "ecs-" + (head + 1), at(wallNanos))).reply());
  }

  private static EntityVersion written(Reply reply) {
    assertThat(reply).isInstanceOf(Reply.Written.class);
    return ((Reply.Written) reply).version();
  }

  @Test
  void lastModifiedStrictlyIncreasesWhenTheWallClockStepsBack() {
    InMemoryEntityStore store = store(10);
    EntityVersion v1 = create(store, count(0), 1_000 * SECOND);
    assertThat(v1.lastModifiedNs()).isEqualTo(1_000_000_000_000L);

    EntityVersion v2 = update(store, count(1), 500 * SECOND);
    EntityVersion v3 = update(store, count(2), 500 * SECOND);

    assertThat(v2.lastModifiedNs()).isEqualTo(1_000_000_000_001L);
    assertThat(v3.lastModifiedNs()).isEqualTo(1_000_000_000_002L);
    assertThat(update(store, count(3), 2_000 * SECOND + 7).lastModifiedNs()).isEqualTo(2_000_000_000_007L);
    assertThat(store.read(ID, 3).entity().entity().getModifiedAt().getSeconds()).isEqualTo(1_000);
  }

  @ParameterizedTest(name = "history limit {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 7, 8, 100})
  void exactlyTheLastLimitVersionsStayReadable(int limit) {
    InMemoryEntityStore store = store(limit);
    create(store, count(0), SECOND);
    for (int v = 1; v < 20; v++) {
      assertThat(update(store, count(v), SECOND).version()).isEqualTo(v + 1);
      long head = v + 1;
      long oldest = Math.max(1, head - limit + 1);
      for (long read = 1; read <= head; read++) {
        VersionRead result = store.read(ID, read);
        if (read >= oldest) {
          assertThat(result.kind()).as("version %d of %d", read, head).isEqualTo(VersionRead.Kind.FOUND);
          assertThat(result.entity().data()).isEqualTo(count(read - 1));
        } else {
          assertThat(result.kind()).as("version %d of %d", read, head).isEqualTo(VersionRead.Kind.NOT_RETAINED);
          assertThat(result.oldestRetained()).isEqualTo(oldest);
        }
      }
      HistoryPage history = store.history(ID, 1, 1000).orElseThrow();
      assertThat(history.versions()).extracting(EntityVersion::version)
          .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(oldest, head).boxed().toList());
      assertThat(history.nextVersion()).isZero();
      assertThat(history.oldestRetained()).isEqualTo(oldest);
    }
  }

  @Test
  void eachVersionNamesItsPredecessorAndKeepsItsCreationTime() {
    InMemoryEntityStore store = store(10);
    create(store, count(0), 7 * SECOND);
    update(store, count(1), 8 * SECOND);
    Entity v1 = store.read(ID, 1).entity().entity();
    Entity v2 = store.read(ID, 2).entity().entity();
    assertThat(v1.getEcsId()).isEqualTo("ecs-1");
    assertThat(v2.getEcsId()).isEqualTo("ecs-2");
    assertThat(v2.getPreviousEcsId()).isEqualTo("ecs-1");
    assertThat(v2.getCreatedAt()).isEqualTo(v1.getCreatedAt());
    assertThat(v2.getModifiedAt().getSeconds()).isEqualTo(8);
    assertThat(store.read(ID, 2).entity().ecsId()).isEqualTo("ecs-2");
  }

  @Test
  void provenanceIsRecordedOnTheVersionItProduced() {
    InMemoryEntityStore store = store(10);
    create(store, count(0), SECOND);
    Command.NewOperation op = new Command.NewOperation("op-1", "count", dev.abstractions.api.v1.PriorityClass.NORMAL,
        5, 5, "", 5, 1, 60 * SECOND, 1, Actor.SERVER);
    Reply reply = store.applyNow(
        new Command.Execute(ID, op, "increment", Struct.getDefaultInstance(), "", "ecs-2", 0.5, at(SECOND))).reply();
    assertThat(((Reply.Attempted) reply).entity().version()).isEqualTo(2);
    EntityVersion v3 = update(store, count(5), SECOND);

    assertThat(store.read(ID, 2).entity().derivedFromOpId()).isEqualTo("op-1");
    assertThat(store.read(ID, 2).entity().entity().getDerivedFromFunction()).isEqualTo("increment");
    assertThat(store.read(ID, 2).entity().data()).isEqualTo(count(1));
    assertThat(v3.derivedFromOpId()).isEmpty();
    assertThat(v3.entity().getDerivedFromFunction()).isEmpty();
  }

  @Test
  void aTombstoneLeavesTheListingAndReadsAsDeleted() {
    InMemoryEntityStore store = store(10);
    create(store, count(0), SECOND);
    assertThat(store.list("T", "", 10).entities()).hasSize(1);
    EntityVersion tombstone = written(store.applyNow(new Command.Delete(ID, 1, "ecs-2", at(SECOND))).reply());

    assertThat(tombstone.deleted()).isTrue();
    assertThat(tombstone.data()).isEqualTo(count(0));
    assertThat(store.list("T", "", 10).entities()).isEmpty();
    assertThat(store.read(ID, 0).kind()).isEqualTo(VersionRead.Kind.DELETED);
    assertThat(store.read(ID, 2).entity()).isSameAs(tombstone);
  }

  @Test
  void aCommandThatWritesNothingLeavesNoLineage() {
    InMemoryEntityStore store = store(10);
    Reply refused = store.applyNow(new Command.Update(ID, 1, StructBytes.of(count(1)), "ecs-1", at(SECOND))).reply();
    assertThat(refused).isInstanceOf(Reply.Refused.class);
    assertThat(store.read(ID, 0).kind()).isEqualTo(VersionRead.Kind.NO_LINEAGE);
    assertThat(store.lineageCount()).isZero();
    assertThat(store.lastSequence()).isZero();
  }
}
