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
import java.util.Arrays;

/**
 * One stored version of an entity, kept as the {@link Entity} message's wire bytes, encoded once
 * when the version is written. History, events and replies share these bytes; the message is
 * parsed only when someone needs its data ({@link #entity()}). The few fields that writes and
 * arbitration read on every step are kept beside the bytes; the rarely read string fields are
 * read from the bytes on demand. Immutable and thread-safe; the bytes are never changed.
 *
 * <p>Heap: the encoded size plus about {@value #OVERHEAD_BYTES} bytes (this object and the array
 * header); the entity type string is shared by every version of a lineage.
 *
 * <p>Every version records its tree ({@code root_lineage_id}, {@code parent_lineage_id}) and the
 * tree version it was written at; a member's versions are in increasing tree version order, which
 * is how a tree is read as of one tree version.
 */
public final class EntityVersion {

  /** Heap a version takes beyond its encoded bytes: this object (64) and the array's header (16). */
  public static final int OVERHEAD_BYTES = 80;

  private final byte[] encoded;
  /** Kept beside the bytes: the store and the decision read it on every write. */
  private final String lineageId;
  private final long version;
  private final long lastModifiedNs;
  private final long createdAtNs;
  private final long treeVersion;
  private final String entityType;
  private final boolean deleted;

  private EntityVersion(byte[] encoded, String lineageId, long version, long lastModifiedNs, long createdAtNs,
      long treeVersion, String entityType, boolean deleted) {
    this.encoded = encoded;
    this.lineageId = lineageId;
    this.version = version;
    this.lastModifiedNs = lastModifiedNs;
    this.createdAtNs = createdAtNs;
    this.treeVersion = treeVersion;
    this.entityType = entityType;
    this.deleted = deleted;
  }

  /**
   * Version 1 of a lineage in the tree rooted at {@code rootLineageId} (itself for a new root),
   * under {@code parentLineageId} ("" for a root), written at {@code treeVersion} and stamped
   * {@code stampNanos}.
   */
  public static EntityVersion first(String lineageId, String rootLineageId, String parentLineageId, String ecsId,
      String entityType, Struct data, Provenance provenance, long treeVersion, long stampNanos) {
    Timestamp now = Timestamps.fromNanos(stampNanos);
    Entity entity = Entity.newBuilder()
        .setLineageId(lineageId)
        .setEcsId(ecsId)
        .setVersion(1)
        .setLastModifiedNs(stampNanos)
        .setCreatedAt(now)
        .setModifiedAt(now)
        .setEntityType(entityType)
        .setData(data)
        .setDerivedFromOpId(provenance.opId())
        .setDerivedFromFunction(provenance.function())
        .setRootLineageId(rootLineageId)
        .setParentLineageId(parentLineageId)
        .setTreeVersion(treeVersion)
        .build();
    return new EntityVersion(entity.toByteArray(), lineageId, 1, stampNanos, stampNanos, treeVersion, entityType,
        false);
  }

  /**
   * The version after this one, written at {@code treeVersion} and stamped {@code stampNanos}
   * (the tree's stamp, which is later than every stamp in the tree): new data, or a tombstone
   * (which keeps this version's data).
   */
  public EntityVersion next(String ecsId, Struct data, boolean tombstone, Provenance provenance, long treeVersion,
      long stampNanos) {
    return successor(ecsId, data, tombstone, provenance, null, null, treeVersion, stampNanos);
  }

  /**
   * The version after this one in another place: under {@code parentLineageId} in the tree rooted
   * at {@code rootLineageId} (a promotion), its data unchanged.
   */
  public EntityVersion moved(String ecsId, String rootLineageId, String parentLineageId, long treeVersion,
      long stampNanos) {
    return successor(ecsId, data(), false, Provenance.NONE, rootLineageId, parentLineageId, treeVersion, stampNanos);
  }

  /** The next version; {@code rootLineageId} and {@code parentLineageId} null keep this one's. */
  private EntityVersion successor(String ecsId, Struct data, boolean tombstone, Provenance provenance,
      String rootLineageId, String parentLineageId, long treeVersion, long stampNanos) {
    String[] ids = stringFields(Entity.ECS_ID_FIELD_NUMBER, Entity.ROOT_LINEAGE_ID_FIELD_NUMBER,
        Entity.PARENT_LINEAGE_ID_FIELD_NUMBER);
    Entity entity = Entity.newBuilder()
        .setLineageId(lineageId)
        .setEcsId(ecsId)
        .setPreviousEcsId(ids[0])
        .setVersion(version + 1)
        .setLastModifiedNs(stampNanos)
        .setCreatedAt(Timestamps.fromNanos(createdAtNs))
        .setModifiedAt(Timestamps.fromNanos(stampNanos))
        .setEntityType(entityType)
        .setData(tombstone ? data() : data)
        .setDerivedFromOpId(provenance.opId())
        .setDerivedFromFunction(provenance.function())
        .setDeleted(tombstone)
        .setRootLineageId(rootLineageId == null ? ids[1] : rootLineageId)
        .setParentLineageId(parentLineageId == null ? ids[2] : parentLineageId)
        .setTreeVersion(treeVersion)
        .build();
    return new EntityVersion(entity.toByteArray(), lineageId, version + 1, stampNanos, createdAtNs, treeVersion,
        entityType, tombstone);
  }

  /** Rebuilds a version from its wire bytes (e.g. read back from a snapshot or a log). */
  public static EntityVersion decode(byte[] encoded) {
    Entity entity = parse(encoded);
    return new EntityVersion(encoded, entity.getLineageId(), entity.getVersion(), entity.getLastModifiedNs(),
        Timestamps.toNanos(entity.getCreatedAt()), entity.getTreeVersion(), entity.getEntityType(),
        entity.getDeleted());
  }

  public long version() {
    return version;
  }

  public long lastModifiedNs() {
    return lastModifiedNs;
  }

  /** The tree version this version was written at. */
  public long treeVersion() {
    return treeVersion;
  }

  public String entityType() {
    return entityType;
  }

  public boolean deleted() {
    return deleted;
  }

  public String lineageId() {
    return lineageId;
  }

  public String ecsId() {
    return stringField(Entity.ECS_ID_FIELD_NUMBER);
  }

  public String rootLineageId() {
    return stringField(Entity.ROOT_LINEAGE_ID_FIELD_NUMBER);
  }

  /** The member this one was created under; "" for a root. */
  public String parentLineageId() {
    return stringField(Entity.PARENT_LINEAGE_ID_FIELD_NUMBER);
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
    return stringFields(number)[0];
  }

  /** String fields read from the bytes in one pass ("" for those absent), skipping the others. */
  private String[] stringFields(int... numbers) {
    String[] found = new String[numbers.length];
    Arrays.fill(found, "");
    try {
      CodedInputStream in = CodedInputStream.newInstance(encoded);
      int tag;
      while ((tag = in.readTag()) != 0) {
        int index = indexOf(numbers, WireFormat.getTagFieldNumber(tag));
        if (index >= 0) {
          found[index] = in.readStringRequireUtf8();
        } else {
          in.skipField(tag);
        }
      }
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException("a stored version does not parse", e);
    }
  }

  private static int indexOf(int[] numbers, int number) {
    for (int i = 0; i < numbers.length; i++) {
      if (numbers[i] == number) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return "EntityVersion[" + lineageId() + " v" + version + (deleted ? " deleted" : "") + "]";
  }
}
