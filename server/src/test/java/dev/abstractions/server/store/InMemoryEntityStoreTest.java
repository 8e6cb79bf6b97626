package dev.abstractions.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.Entity;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class InMemoryEntityStoreTest {

  private static final String ID = "6f1c2d3e-4a5b-4c6d-8e7f-101112131415";

  private static Entity create(EntityStore store, Struct data, Provenance provenance) {
    return store.atomically(ID, true, tx -> tx.create("T", data, provenance));
  }

  private static Entity append(EntityStore store, Struct data) {
    return store.atomically(ID, false, tx -> tx.append(data, false, Provenance.NONE));
  }

  @Test
  void lastModifiedStrictlyIncreasesWhenTheWallClockStepsBack() {
    SettableClock clock = new SettableClock(Instant.ofEpochSecond(1_000));
    InMemoryEntityStore store = new InMemoryEntityStore(clock, new StoreSettings(10, 1024));
    Entity v1 = create(store, count(0), Provenance.NONE);
    assertThat(v1.getLastModifiedNs()).isEqualTo(1_000_000_000_000L);

    clock.now = Instant.ofEpochSecond(500);
    Entity v2 = append(store, count(1));
    Entity v3 = append(store, count(2));

    assertThat(v2.getLastModifiedNs()).isEqualTo(1_000_000_000_001L);
    assertThat(v3.getLastModifiedNs()).isEqualTo(1_000_000_000_002L);
    clock.now = Instant.ofEpochSecond(2_000, 7);
    assertThat(append(store, count(3)).getLastModifiedNs())
        .isEqualTo(2_000_000_000_007L);
  }

  @ParameterizedTest(name = "history limit {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 7, 8, 100})
  void exactlyTheLastLimitVersionsStayReadable(int limit) {
    InMemoryEntityStore store = new InMemoryEntityStore(Clock.systemUTC(), new StoreSettings(limit, 1024));
    create(store, count(0), Provenance.NONE);
    for (int v = 1; v < 20; v++) {
      assertThat(append(store, count(v)).getVersion()).isEqualTo(v + 1);
      long head = v + 1;
      long oldest = Math.max(1, head - limit + 1);
      for (long read = 1; read <= head; read++) {
        VersionRead result = store.read(ID, read);
        if (read >= oldest) {
          assertThat(result.kind()).as("version %d of %d", read, head).isEqualTo(VersionRead.Kind.FOUND);
          assertThat(result.entity().getData()).isEqualTo(count(read - 1));
        } else {
          assertThat(result.kind()).as("version %d of %d", read, head).isEqualTo(VersionRead.Kind.NOT_RETAINED);
          assertThat(result.oldestRetained()).isEqualTo(oldest);
        }
      }
      HistoryPage history = store.history(ID, 1, 1000).orElseThrow();
      assertThat(history.versions()).extracting(Entity::getVersion)
          .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(oldest, head).boxed().toList());
      assertThat(history.nextVersion()).isZero();
      assertThat(history.oldestRetained()).isEqualTo(oldest);
    }
  }

  @Test
  void provenanceIsRecordedOnTheVersionItProduced() {
    InMemoryEntityStore store = new InMemoryEntityStore(Clock.systemUTC(), new StoreSettings(10, 1024));
    create(store, count(0), new Provenance("op-1", "increment"));
    Entity v2 = append(store, count(1));
    assertThat(store.read(ID, 1).entity().getDerivedFromOpId()).isEqualTo("op-1");
    assertThat(store.read(ID, 1).entity().getDerivedFromFunction()).isEqualTo("increment");
    assertThat(v2.getDerivedFromOpId()).isEmpty();
    assertThat(v2.getDerivedFromFunction()).isEmpty();
  }

  @Test
  void aTombstoneLeavesTheListingAndReadsAsDeleted() {
    InMemoryEntityStore store = new InMemoryEntityStore(Clock.systemUTC(), new StoreSettings(10, 1024));
    create(store, count(0), Provenance.NONE);
    assertThat(store.list("T", "", 10).entities()).hasSize(1);
    Entity tombstone = store.atomically(ID, false, tx -> tx.append(null, true, Provenance.NONE));

    assertThat(tombstone.getDeleted()).isTrue();
    assertThat(tombstone.getData()).isEqualTo(count(0));
    assertThat(store.list("T", "", 10).entities()).isEmpty();
    assertThat(store.read(ID, 0).kind()).isEqualTo(VersionRead.Kind.DELETED);
    assertThat(store.read(ID, 2).entity()).isEqualTo(tombstone);
  }

  @Test
  void aCreatingStepThatWritesNothingLeavesNoLineage() {
    InMemoryEntityStore store = new InMemoryEntityStore(Clock.systemUTC(), new StoreSettings(10, 1024));
    Entity seen = store.atomically(ID, true, tx -> tx.head());
    assertThat(seen).isNull();
    assertThat(store.read(ID, 0).kind()).isEqualTo(VersionRead.Kind.NO_LINEAGE);
    assertThat(store.lineageCount()).isZero();
    Entity absent = store.atomically(ID, false, tx -> tx.head());
    assertThat(absent).isNull();
    assertThat(store.lineageCount()).isZero();
  }

  private static Struct count(long n) {
    return Struct.newBuilder().putFields("count", Value.newBuilder().setNumberValue(n).build()).build();
  }

  /** A wall clock the test moves, backwards too. */
  private static final class SettableClock extends Clock {
    private volatile Instant now;

    SettableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }
}
