package dev.abstractions.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.Timestamps;
import dev.abstractions.api.v1.Entity;
import org.junit.jupiter.api.Test;

/**
 * {@link EntityVersion} writes its bytes field by field and copies what a successor keeps from
 * its predecessor's bytes: every version must still be exactly what protobuf encodes for the same
 * {@link Entity} (replies, events and snapshots splice these bytes; clients parse them).
 */
class EntityVersionTest {

  private static final String LINEAGE = "6dc37972-7755-33c2-a3a4-b63fde861138";
  private static final String ROOT = "c17d18b5-6086-461c-bdfd-686c9cf08184";
  private static final String PARENT = "7f4d4920-8900-4c6e-ac25-90241ba0a1f8";
  private static final long CREATED = 1_764_000_000_123_456_789L;

  private static final Struct DATA = Struct.newBuilder()
      .putFields("sku", Value.newBuilder().setStringValue("pen ✒").build())
      .putFields("qty", Value.newBuilder().setNumberValue(2).build())
      .putFields("gift", Value.newBuilder().setBoolValue(true).build())
      .putFields("note", Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build())
      .putFields("tags", Value.newBuilder().setListValue(ListValue.newBuilder()
          .addValues(Value.newBuilder().setStringValue("a")).addValues(Value.newBuilder().setNumberValue(-1.5)))
          .build())
      .build();
  private static final Struct OTHER = Struct.newBuilder()
      .putFields("qty", Value.newBuilder().setNumberValue(3).build()).build();

  @Test
  void aRootsFirstVersionIsProtobufsEncoding() {
    EntityVersion first = EntityVersion.first(LINEAGE, LINEAGE, "", "ecs-1", "Order", StructBytes.of(DATA), Provenance.NONE, 1,
        CREATED);
    Entity expected = Entity.newBuilder().setLineageId(LINEAGE).setEcsId("ecs-1").setVersion(1)
        .setLastModifiedNs(CREATED).setCreatedAt(Timestamps.fromNanos(CREATED))
        .setModifiedAt(Timestamps.fromNanos(CREATED)).setEntityType("Order").setData(DATA)
        .setRootLineageId(LINEAGE).setTreeVersion(1).build();
    assertThat(first.encoded()).isEqualTo(expected.toByteArray());
    assertThat(first.entity()).isEqualTo(expected);
  }

  @Test
  void aFirstVersionWithEmptyDataTreeVersionZeroAndProvenanceIsProtobufsEncoding() {
    EntityVersion first = EntityVersion.first(LINEAGE, ROOT, PARENT, "ecs-1", "Line", StructBytes.of(Struct.getDefaultInstance()),
        new Provenance("op-7", "increment"), 0, 0);
    Entity expected = Entity.newBuilder().setLineageId(LINEAGE).setEcsId("ecs-1").setVersion(1)
        .setCreatedAt(Timestamps.fromNanos(0)).setModifiedAt(Timestamps.fromNanos(0)).setEntityType("Line")
        .setData(Struct.getDefaultInstance()).setDerivedFromOpId("op-7").setDerivedFromFunction("increment")
        .setRootLineageId(ROOT).setParentLineageId(PARENT).build();
    assertThat(first.encoded()).isEqualTo(expected.toByteArray());
  }

  @Test
  void nextTombstoneAndMovedVersionsAreProtobufsEncoding() {
    EntityVersion first = EntityVersion.first(LINEAGE, ROOT, PARENT, "ecs-1", "Line", StructBytes.of(DATA),
        new Provenance("op-1", ""), 4, CREATED);
    Entity one = first.entity();

    long stamp2 = CREATED + 1_000_000_000L; // a whole second later: no nanos beyond the first's
    EntityVersion second = first.next("ecs-2", StructBytes.of(OTHER), false, Provenance.NONE, 5, stamp2);
    Entity two = one.toBuilder().setEcsId("ecs-2").setPreviousEcsId("ecs-1").setVersion(2).setLastModifiedNs(stamp2)
        .setModifiedAt(Timestamps.fromNanos(stamp2)).setData(OTHER).clearDerivedFromOpId().setTreeVersion(5).build();
    assertThat(second.encoded()).isEqualTo(two.toByteArray());
    assertThat(second.version()).isEqualTo(2);
    assertThat(second.ecsId()).isEqualTo("ecs-2");

    long stamp3 = stamp2 + 7;
    EntityVersion third = second.next("ecs-3", StructBytes.of(DATA), true, new Provenance("op-9", "close"), 6, stamp3);
    Entity three = two.toBuilder().setEcsId("ecs-3").setPreviousEcsId("ecs-2").setVersion(3)
        .setLastModifiedNs(stamp3).setModifiedAt(Timestamps.fromNanos(stamp3)).setDerivedFromOpId("op-9")
        .setDerivedFromFunction("close").setDeleted(true).setTreeVersion(6).build(); // a tombstone keeps its data
    assertThat(third.encoded()).isEqualTo(three.toByteArray());
    assertThat(third.deleted()).isTrue();

    long stamp4 = stamp3 + 1;
    EntityVersion moved = second.moved("ecs-4", LINEAGE, "", 1, stamp4);
    Entity promoted = two.toBuilder().setEcsId("ecs-4").setPreviousEcsId("ecs-2").setVersion(3)
        .setLastModifiedNs(stamp4).setModifiedAt(Timestamps.fromNanos(stamp4)).setRootLineageId(LINEAGE)
        .clearParentLineageId().setTreeVersion(1).build();
    assertThat(moved.encoded()).isEqualTo(promoted.toByteArray());
    assertThat(moved.rootLineageId()).isEqualTo(LINEAGE);
    assertThat(moved.parentLineageId()).isEmpty();
    assertThat(EntityVersion.decode(moved.encoded()).entity()).isEqualTo(promoted);
  }

  @Test
  void stampsBeforeTheEpochAreProtobufsEncoding() {
    long before = -1_500_000_001L;
    EntityVersion first = EntityVersion.first(LINEAGE, LINEAGE, "", "ecs-1", "Order", StructBytes.of(OTHER), Provenance.NONE, 1,
        before);
    EntityVersion second = first.next("ecs-2", StructBytes.of(DATA), false, Provenance.NONE, 2, before + 1);
    assertThat(second.entity().getCreatedAt()).isEqualTo(Timestamps.fromNanos(before));
    assertThat(second.entity().getModifiedAt()).isEqualTo(Timestamps.fromNanos(before + 1));
    assertThat(second.encoded()).isEqualTo(second.entity().toByteArray());
  }
}
