package dev.abstractions.server.core;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.WireFormat;
import com.google.protobuf.util.Timestamps;
import dev.abstractions.api.v1.Entity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

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
      String entityType, StructBytes data, Provenance provenance, long treeVersion, long stampNanos) {
    Encoder entity = new Encoder()
        .string(Entity.LINEAGE_ID_FIELD_NUMBER, lineageId)
        .string(Entity.ECS_ID_FIELD_NUMBER, ecsId)
        .int64(Entity.VERSION_FIELD_NUMBER, 1)
        .int64(Entity.LAST_MODIFIED_NS_FIELD_NUMBER, stampNanos)
        .timestamp(Entity.CREATED_AT_FIELD_NUMBER, stampNanos)
        .timestamp(Entity.MODIFIED_AT_FIELD_NUMBER, stampNanos)
        .string(Entity.ENTITY_TYPE_FIELD_NUMBER, entityType)
        .data(data)
        .string(Entity.DERIVED_FROM_OP_ID_FIELD_NUMBER, provenance.opId())
        .string(Entity.DERIVED_FROM_FUNCTION_FIELD_NUMBER, provenance.function())
        .string(Entity.ROOT_LINEAGE_ID_FIELD_NUMBER, rootLineageId)
        .string(Entity.PARENT_LINEAGE_ID_FIELD_NUMBER, parentLineageId)
        .int64(Entity.TREE_VERSION_FIELD_NUMBER, treeVersion);
    return new EntityVersion(entity.encode(), lineageId, 1, stampNanos, stampNanos, treeVersion, entityType, false);
  }

  /**
   * The version after this one, written at {@code treeVersion} and stamped {@code stampNanos}
   * (the tree's stamp, which is later than every stamp in the tree): new data, or a tombstone
   * (which keeps this version's data).
   */
  public EntityVersion next(String ecsId, StructBytes data, boolean tombstone, Provenance provenance, long treeVersion,
      long stampNanos) {
    return successor(ecsId, data, tombstone, provenance, null, null, treeVersion, stampNanos);
  }

  /**
   * The version after this one in another place: under {@code parentLineageId} in the tree rooted
   * at {@code rootLineageId} (a promotion), its data unchanged.
   */
  public EntityVersion moved(String ecsId, String rootLineageId, String parentLineageId, long treeVersion,
      long stampNanos) {
    return successor(ecsId, null, false, Provenance.NONE, rootLineageId, parentLineageId, treeVersion, stampNanos);
  }

  /**
   * The next version; {@code data} null keeps this one's, {@code rootLineageId} and
   * {@code parentLineageId} null keep this one's. What it keeps is copied from this version's
   * bytes as they are (no decoding and encoding again), and the result is byte for byte what
   * protobuf encodes for the same {@link Entity} when the data is in protobuf's own encoding
   * ({@code EntityVersionTest}).
   */
  private EntityVersion successor(String ecsId, StructBytes data, boolean tombstone, Provenance provenance,
      String rootLineageId, String parentLineageId, long treeVersion, long stampNanos) {
    Fields kept = new Fields(encoded);
    Encoder entity = new Encoder()
        .raw(Entity.LINEAGE_ID_FIELD_NUMBER, kept, Entity.LINEAGE_ID_FIELD_NUMBER)
        .string(Entity.ECS_ID_FIELD_NUMBER, ecsId)
        .raw(Entity.PREVIOUS_ECS_ID_FIELD_NUMBER, kept, Entity.ECS_ID_FIELD_NUMBER)
        .int64(Entity.VERSION_FIELD_NUMBER, version + 1)
        .int64(Entity.LAST_MODIFIED_NS_FIELD_NUMBER, stampNanos)
        .raw(Entity.CREATED_AT_FIELD_NUMBER, kept, Entity.CREATED_AT_FIELD_NUMBER)
        .timestamp(Entity.MODIFIED_AT_FIELD_NUMBER, stampNanos)
        .raw(Entity.ENTITY_TYPE_FIELD_NUMBER, kept, Entity.ENTITY_TYPE_FIELD_NUMBER);
    if (data == null || tombstone) {
      entity.raw(Entity.DATA_FIELD_NUMBER, kept, Entity.DATA_FIELD_NUMBER);
    } else {
      entity.data(data);
    }
    entity.string(Entity.DERIVED_FROM_OP_ID_FIELD_NUMBER, provenance.opId())
        .string(Entity.DERIVED_FROM_FUNCTION_FIELD_NUMBER, provenance.function())
        .bool(Entity.DELETED_FIELD_NUMBER, tombstone);
    if (rootLineageId == null) {
      entity.raw(Entity.ROOT_LINEAGE_ID_FIELD_NUMBER, kept, Entity.ROOT_LINEAGE_ID_FIELD_NUMBER);
    } else {
      entity.string(Entity.ROOT_LINEAGE_ID_FIELD_NUMBER, rootLineageId);
    }
    if (parentLineageId == null) {
      entity.raw(Entity.PARENT_LINEAGE_ID_FIELD_NUMBER, kept, Entity.PARENT_LINEAGE_ID_FIELD_NUMBER);
    } else {
      entity.string(Entity.PARENT_LINEAGE_ID_FIELD_NUMBER, parentLineageId);
    }
    entity.int64(Entity.TREE_VERSION_FIELD_NUMBER, treeVersion);
    return new EntityVersion(entity.encode(), lineageId, version + 1, stampNanos, createdAtNs, treeVersion,
        entityType, tombstone);
  }

  /**
   * Where each length-delimited field of an encoded {@link Entity} lies (its contents, without
   * tag and length), found in one pass that reads no field's contents: what a successor copies,
   * and the string fields read on demand.
   */
  private static final class Fields {

    private static final int MAX_FIELD = Entity.TREE_VERSION_FIELD_NUMBER;

    private final byte[] encoded;
    /** By field number: where its contents start, and how long they are (0 for absent). */
    private final int[] offsets = new int[MAX_FIELD + 1];
    private final int[] lengths = new int[MAX_FIELD + 1];
    /** Whether the field was present (a message field can be present and empty). */
    private final boolean[] present = new boolean[MAX_FIELD + 1];

    Fields(byte[] encoded) {
      this.encoded = encoded;
      try {
        CodedInputStream in = CodedInputStream.newInstance(encoded);
        int tag;
        while ((tag = in.readTag()) != 0) {
          int number = WireFormat.getTagFieldNumber(tag);
          if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED && number <= MAX_FIELD) {
            int length = in.readRawVarint32();
            offsets[number] = in.getTotalBytesRead();
            lengths[number] = length;
            present[number] = true;
            in.skipRawBytes(length);
          } else {
            in.skipField(tag);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("a stored version does not parse", e);
      }
    }

    /** A string field's value, "" if absent. */
    String string(int number) {
      return present[number] ? new String(encoded, offsets[number], lengths[number], StandardCharsets.UTF_8) : "";
    }
  }

  /**
   * Writes an {@link Entity} field by field, as protobuf's own encoding of the message would (in
   * field number order, proto3 defaults left out, message fields written when set even if empty):
   * sized first, then written into one array of exactly that size.
   */
  private static final class Encoder {

    private static final int MAX_FIELDS = 16;

    /** What to write, in order: a field number, a kind, and its value. */
    private final int[] numbers = new int[MAX_FIELDS];
    private final byte[] kinds = new byte[MAX_FIELDS];
    private final long[] values = new long[MAX_FIELDS];
    private final Object[] objects = new Object[MAX_FIELDS];
    private int count;
    private int size;

    private static final byte STRING = 0;
    private static final byte INT64 = 1;
    private static final byte BOOL = 2;
    private static final byte TIMESTAMP = 3;
    private static final byte DATA = 4;
    private static final byte RAW = 5;

    private Encoder add(int number, byte kind, long value, Object object) {
      numbers[count] = number;
      kinds[count] = kind;
      values[count] = value;
      objects[count] = object;
      count++;
      return this;
    }

    Encoder string(int number, String value) {
      if (value.isEmpty()) {
        return this;
      }
      size += CodedOutputStream.computeStringSize(number, value);
      return add(number, STRING, 0, value);
    }

    Encoder int64(int number, long value) {
      if (value == 0) {
        return this;
      }
      size += CodedOutputStream.computeInt64Size(number, value);
      return add(number, INT64, value, null);
    }

    Encoder bool(int number, boolean value) {
      if (!value) {
        return this;
      }
      size += CodedOutputStream.computeBoolSize(number, true);
      return add(number, BOOL, 1, null);
    }

    /** A {@link Timestamp} of {@code nanos} since the epoch (always written: the message sets it). */
    Encoder timestamp(int number, long nanos) {
      size += CodedOutputStream.computeTagSize(number) + 1 + timestampSize(nanos); // a Timestamp is < 128 bytes
      return add(number, TIMESTAMP, nanos, null);
    }

    /** The data as it is, written even when empty (the message sets it). */
    Encoder data(StructBytes data) {
      size += CodedOutputStream.computeBytesSize(Entity.DATA_FIELD_NUMBER, data.bytes());
      return add(Entity.DATA_FIELD_NUMBER, DATA, 0, data.bytes());
    }

    /** Field {@code from} of {@code kept}, as it is, as field {@code number} (nothing if absent there). */
    Encoder raw(int number, Fields kept, int from) {
      if (!kept.present[from]) {
        return this;
      }
      int length = kept.lengths[from];
      size += CodedOutputStream.computeTagSize(number) + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
      return add(number, RAW, ((long) kept.offsets[from] << 32) | length, kept.encoded);
    }

    byte[] encode() {
      byte[] out = new byte[size];
      CodedOutputStream writer = CodedOutputStream.newInstance(out);
      try {
        for (int i = 0; i < count; i++) {
          int number = numbers[i];
          switch (kinds[i]) {
            case STRING -> writer.writeString(number, (String) objects[i]);
            case INT64 -> writer.writeInt64(number, values[i]);
            case BOOL -> writer.writeBool(number, true);
            case TIMESTAMP -> {
              writer.writeTag(number, WireFormat.WIRETYPE_LENGTH_DELIMITED);
              writer.writeUInt32NoTag(timestampSize(values[i]));
              long seconds = Math.floorDiv(values[i], NANOS_PER_SECOND);
              int nanos = (int) Math.floorMod(values[i], NANOS_PER_SECOND);
              if (seconds != 0) {
                writer.writeInt64(Timestamp.SECONDS_FIELD_NUMBER, seconds);
              }
              if (nanos != 0) {
                writer.writeInt32(Timestamp.NANOS_FIELD_NUMBER, nanos);
              }
            }
            case DATA -> writer.writeBytes(number, (ByteString) objects[i]);
            default -> {
              int offset = (int) (values[i] >>> 32);
              int length = (int) values[i];
              writer.writeTag(number, WireFormat.WIRETYPE_LENGTH_DELIMITED);
              writer.writeUInt32NoTag(length);
              writer.writeRawBytes((byte[]) objects[i], offset, length);
            }
          }
        }
        writer.checkNoSpaceLeft();
      } catch (IOException e) {
        throw new UncheckedIOException("an entity does not fit its computed size", e);
      }
      return out;
    }

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private static int timestampSize(long nanos) {
      long seconds = Math.floorDiv(nanos, NANOS_PER_SECOND);
      int rest = (int) Math.floorMod(nanos, NANOS_PER_SECOND);
      return (seconds == 0 ? 0 : CodedOutputStream.computeInt64Size(Timestamp.SECONDS_FIELD_NUMBER, seconds))
          + (rest == 0 ? 0 : CodedOutputStream.computeInt32Size(Timestamp.NANOS_FIELD_NUMBER, rest));
    }
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

  /** The data, parsed from its bytes on every call (nothing else of the version is parsed). */
  public Struct data() {
    Fields fields = new Fields(encoded);
    int number = Entity.DATA_FIELD_NUMBER;
    try {
      return Struct.parser().parseFrom(encoded, fields.offsets[number], fields.lengths[number]);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a stored version does not parse", e);
    }
  }

  private static Entity parse(byte[] encoded) {
    try {
      return Entity.parseFrom(encoded);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a stored version does not parse", e);
    }
  }

  /** One string field read from the bytes ("" if absent); the data is skipped, not parsed. */
  private String stringField(int number) {
    return new Fields(encoded).string(number);
  }

  @Override
  public String toString() {
    return "EntityVersion[" + lineageId() + " v" + version + (deleted ? " deleted" : "") + "]";
  }
}
