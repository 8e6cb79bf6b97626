package dev.abstractions.server.core;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.WireFormat;
import com.google.protobuf.util.Timestamps;
import dev.abstractions.api.v1.Entity;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One stored version of an entity, kept as the {@link Entity} message's wire bytes, encoded once
 * when the version is written. History, events and replies share these bytes; the message is
 * parsed only when someone needs its data ({@link #entity()}). The few fields that writes and
 * arbitration read on every step are kept beside the bytes; the rarely read string fields are
 * read from the bytes on demand. Immutable and thread-safe; the bytes are never changed.
 *
 * <p>Heap: the encoded size plus about {@value #OVERHEAD_BYTES} bytes (this object and the array
 * header); the entity type string is shared by every version of a lineage.
 */
public final class EntityVersion {

  /** Heap a version takes beyond its encoded bytes: this object (48) and the array's header (16). */
  public static final int OVERHEAD_BYTES = 64;

  private final byte[] encoded;
  private final long version;
  private final long lastModifiedNs;
  private final long createdAtNs;
  private final String entityType;
  private final boolean deleted;

  private EntityVersion(byte[] encoded, long version, long lastModifiedNs, long createdAtNs, String entityType,
      boolean deleted) {
    this.encoded = encoded;
    this.version = version;
    this.lastModifiedNs = lastModifiedNs;
    this.createdAtNs = createdAtNs;
    this.entityType = entityType;
    this.deleted = deleted;
  }

  /** Version 1 of a lineage, stamped {@code wallNanos}. */
  public static EntityVersion first(String lineageId, String ecsId, String entityType, Struct data,
      Provenance provenance, long wallNanos) {
    Timestamp now = Timestamps.fromNanos(wallNanos);
    Entity entity = Entity.newBuilder()
        .setLineageId(lineageId)
        .setEcsId(ecsId)
        .setVersion(1)
        .setLastModifiedNs(wallNanos)
        .setCreatedAt(now)
        .setModifiedAt(now)
        .setEntityType(entityType)
        .setData(data)
        .setDerivedFromOpId(provenance.opId())
        .setDerivedFromFunction(provenance.function())
        .build();
    return new EntityVersion(entity.toByteArray(), 1, wallNanos, wallNanos, entityType, false);
  }

  /**
   * The version after this one: new data, or a tombstone (which keeps this version's data). Its
   * stamp is {@code max(wallNanos, this stamp + 1)}, so stamps strictly increase per lineage even
   * when the wall clock steps back.
   */
  public EntityVersion next(String ecsId, Struct data, boolean tombstone, Provenance provenance, long wallNanos) {
    long stamp = Math.max(wallNanos, lastModifiedNs + 1);
    Entity entity = Entity.newBuilder()
        .setLineageId(lineageId())
        .setEcsId(ecsId)
        .setPreviousEcsId(ecsId())
        .setVersion(version + 1)
        .setLastModifiedNs(stamp)
        .setCreatedAt(Timestamps.fromNanos(createdAtNs))
        .setModifiedAt(Timestamps.fromNanos(stamp))
        .setEntityType(entityType)
        .setData(tombstone ? data() : data)
        .setDerivedFromOpId(provenance.opId())
        .setDerivedFromFunction(provenance.function())
        .setDeleted(tombstone)
        .build();
    return new EntityVersion(entity.toByteArray(), version + 1, stamp, createdAtNs, entityType, tombstone);
  }

  /** Rebuilds a version from its wire bytes (e.g. read back from a snapshot or a log). */
  public static EntityVersion decode(byte[] encoded) {
    Entity entity = parse(encoded);
    return new EntityVersion(encoded, entity.getVersion(), entity.getLastModifiedNs(),
        Timestamps.toNanos(entity.getCreatedAt()), entity.getEntityType(), entity.getDeleted());
  }

  public long version() {
    return version;
  }

  public long lastModifiedNs() {
    return lastModifiedNs;
  }

  public String entityType() {
    return entityType;
  }

  public boolean deleted() {
    return deleted;
  }

  public String lineageId() {
    return stringField(Entity.LINEAGE_ID_FIELD_NUMBER);
  }

  public String ecsId() {
    return stringField(Entity.ECS_ID_FIELD_NUMBER);
  }

  /** The operation that wrote this version, or "" for a plain write. */
  public String derivedFromOpId() {
    return stringField(Entity.DERIVED_FROM_OP_ID_FIELD_NUMBER);
  }

  /** The encoded {@link Entity}, shared: callers must not change it. */
  public byte[] encoded() {
    return encoded;
  }

  public int encodedSize() {
    return encoded.length;
  }

  /** The heap this version takes, as the memory budget counts it. */
  public long heapBytes() {
    return encoded.length + OVERHEAD_BYTES;
  }

  /** The message, parsed from the bytes on every call. */
  public Entity entity() {
    return parse(encoded);
  }

  public Struct data() {
    return entity().getData();
  }

  private static Entity parse(byte[] encoded) {
    try {
      return Entity.parseFrom(encoded);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a stored version does not parse", e);
    }
  }

  /** One string field read from the bytes, skipping the others (data is skipped, not parsed). */
  private String stringField(int number) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(encoded);
      int tag;
      while ((tag = in.readTag()) != 0) {
        if (WireFormat.getTagFieldNumber(tag) == number) {
          return in.readStringRequireUtf8();
        }
        in.skipField(tag);
      }
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException("a stored version does not parse", e);
    }
  }

  @Override
  public String toString() {
    return "EntityVersion[" + lineageId() + " v" + version + (deleted ? " deleted" : "") + "]";
  }
}
