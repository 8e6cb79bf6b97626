package dev.abstractions.server.store;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.abstractions.api.v1.Entity;
import jakarta.inject.Inject;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The embedded, in-memory {@link EntityStore}.
 *
 * <p>Lock-free reads; writes are atomic per lineage. Each lineage is one {@link Lineage} object in
 * a {@link ConcurrentHashMap}; a write holds that object's monitor for the few microseconds its
 * step takes, never across I/O, so writes to different lineages never wait for each other and
 * there is no global lock. Lineages are never removed once written (ids are never reused), so a
 * monitor once found stays the lineage's monitor.
 */
public final class InMemoryEntityStore implements EntityStore {

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Entity[].class);

  private final ConcurrentHashMap<String, Lineage> lineages = new ConcurrentHashMap<>();
  /** Live (not deleted) lineage ids per entity type, sorted for paging. */
  private final ConcurrentHashMap<String, ConcurrentSkipListSet<String>> liveIdsByType =
      new ConcurrentHashMap<>();

  private final Clock clock;
  private final int historyLimit;
  /** Ring length that holds historyLimit versions: the smallest power of two at least that. */
  private final int ringCapacity;

  @Inject
  public InMemoryEntityStore(Clock clock, StoreSettings settings) {
    this.clock = clock;
    this.historyLimit = settings.historyLimit();
    this.ringCapacity = Integer.highestOneBit(Math.max(1, historyLimit - 1)) << 1;
  }

  @Override
  public VersionRead read(String lineageId, long version) {
    Lineage lineage = lineages.get(lineageId);
    Entity head = lineage == null ? null : lineage.head;
    if (head == null) {
      return VersionRead.NO_LINEAGE;
    }
    long oldest = oldestRetained(head.getVersion());
    if (version == 0 || version == head.getVersion()) {
      boolean deleted = version == 0 && head.getDeleted();
      return new VersionRead(deleted ? VersionRead.Kind.DELETED : VersionRead.Kind.FOUND, head, oldest);
    }
    if (version > head.getVersion()) {
      return new VersionRead(VersionRead.Kind.NO_VERSION, head, oldest);
    }
    Entity found = version >= oldest ? lineage.retained(version) : null;
    if (found != null) {
      return new VersionRead(VersionRead.Kind.FOUND, found, oldest);
    }
    Entity latest = lineage.head; // the slot was reused: report what is retained now
    return new VersionRead(VersionRead.Kind.NOT_RETAINED, latest, oldestRetained(latest.getVersion()));
  }

  @Override
  public <R> R atomically(String lineageId, boolean mayCreate, LineageStep<R> step) {
    while (true) {
      Lineage lineage = lineages.get(lineageId);
      if (lineage == null) {
        if (!mayCreate) {
          return step.apply(new Absent(lineageId));
        }
        Lineage fresh = new Lineage(lineageId);
        // Publish the new lineage locked, so that no other writer runs before this step.
        synchronized (fresh) {
          if (lineages.putIfAbsent(lineageId, fresh) == null) {
            try {
              return step.apply(fresh);
            } finally {
              if (fresh.head == null) {
                lineages.remove(lineageId, fresh); // nothing was created: leave no trace
              }
            }
          }
        }
        continue; // another writer published the lineage first
      }
      synchronized (lineage) {
        if (lineage.head != null || lineages.get(lineageId) == lineage) {
          return step.apply(lineage);
        }
      }
      // We waited on a lineage whose creator wrote nothing and removed it: look again.
    }
  }

  @Override
  public EntityPage list(String entityType, String afterLineageId, int limit) {
    ConcurrentSkipListSet<String> live = liveIdsByType.get(entityType);
    if (live == null) {
      return new EntityPage(List.of(), false);
    }
    List<Entity> page = new ArrayList<>(Math.min(limit, 64));
    Iterator<String> ids = live.tailSet(afterLineageId, false).iterator();
    while (ids.hasNext() && page.size() < limit) {
      Entity head = lineages.get(ids.next()).head;
      if (!head.getDeleted()) {
        page.add(head);
      }
    }
    return new EntityPage(page, ids.hasNext());
  }

  @Override
  public Optional<HistoryPage> history(String lineageId, long fromVersion, int limit) {
    Lineage lineage = lineages.get(lineageId);
    Entity head = lineage == null ? null : lineage.head;
    if (head == null) {
      return Optional.empty();
    }
    List<Entity> versions = new ArrayList<>(Math.min(limit, 64));
    long version = Math.max(fromVersion, oldestRetained(head.getVersion()));
    while (version <= head.getVersion() && versions.size() < limit) {
      Entity found = version == head.getVersion() ? head : lineage.retained(version);
      if (found == null) {
        // Writers moved on and reused the slot: restart the page from what is retained now, so
        // a page never has a gap.
        versions.clear();
        head = lineage.head;
        version = oldestRetained(head.getVersion());
        continue;
      }
      versions.add(found);
      version++;
    }
    long next = version <= head.getVersion() ? version : 0;
    return Optional.of(new HistoryPage(versions, next, oldestRetained(head.getVersion())));
  }

  @Override
  public long lineageCount() {
    return lineages.size();
  }

  private long oldestRetained(long headVersion) {
    return Math.max(1, headVersion - historyLimit + 1);
  }

  private long wallClockNanos() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }


  /**
   * One lineage: its latest version, a bounded ring of recent versions and the attachment of the
   * layer above. Writers hold this object's monitor; readers take no lock. A writer stores a
   * version in the ring before it publishes it as the head (a volatile write), so a reader that
   * has seen a head can read every retained version up to it. A ring slot read after it was reused
   * for a newer version is recognised by its version number and reported as no longer retained,
   * which by then is true.
   */
  private final class Lineage implements LineageTx {

    private final String lineageId;
    /** Null only while the creating step runs. */
    private volatile Entity head;
    /** Length is a power of two, at least min(head version, historyLimit). */
    private volatile Entity[] ring;
    /** Guarded by this object's monitor. */
    private Object attachment;

    Lineage(String lineageId) {
      this.lineageId = lineageId;
    }

    Entity retained(long version) {
      Entity[] slots = ring;
      Entity found = (Entity) SLOT.getAcquire(slots, (int) (version & (slots.length - 1)));
      return found != null && found.getVersion() == version ? found : null;
    }

    @Override
    public String lineageId() {
      return lineageId;
    }

    @Override
    public Entity head() {
      return head;
    }

    @Override
    public Entity create(String entityType, Struct data, Provenance provenance) {
      if (head != null) {
        throw new IllegalStateException("lineage " + lineageId + " already exists");
      }
      long stamp = wallClockNanos();
      Timestamp now = Timestamps.fromNanos(stamp);
      Entity first =
          Entity.newBuilder()
              .setLineageId(lineageId)
              .setEcsId(Ids.newId())
              .setVersion(1)
              .setLastModifiedNs(stamp)
              .setCreatedAt(now)
              .setModifiedAt(now)
              .setEntityType(entityType)
              .setData(data)
              .setDerivedFromOpId(provenance.opId())
              .setDerivedFromFunction(provenance.function())
              .build();
      ring = new Entity[Math.min(2, ringCapacity)];
      store(first);
      liveIdsByType.computeIfAbsent(entityType, type -> new ConcurrentSkipListSet<>()).add(lineageId);
      return first;
    }

    @Override
    public Entity append(Struct data, boolean tombstone, Provenance provenance) {
      Entity previous = head;
      if (previous == null || previous.getDeleted()) {
        throw new IllegalStateException("lineage " + lineageId + " has no live head to follow");
      }
      long stamp = Math.max(wallClockNanos(), previous.getLastModifiedNs() + 1);
      Entity next =
          previous.toBuilder()
              .setEcsId(Ids.newId())
              .setPreviousEcsId(previous.getEcsId())
              .setVersion(previous.getVersion() + 1)
              .setLastModifiedNs(stamp)
              .setModifiedAt(Timestamps.fromNanos(stamp))
              .setData(tombstone ? previous.getData() : data)
              .setDerivedFromOpId(provenance.opId())
              .setDerivedFromFunction(provenance.function())
              .setDeleted(tombstone)
              .build();
      store(next);
      if (tombstone) {
        liveIdsByType.get(previous.getEntityType()).remove(lineageId);
      }
      return next;
    }

    @Override
    public Object attachment() {
      return attachment;
    }

    @Override
    public void attach(Object attachment) {
      this.attachment = attachment;
    }

    private void store(Entity next) {
      Entity[] slots = ring;
      long version = next.getVersion();
      if (version > slots.length && slots.length < ringCapacity) {
        slots = grow(slots, version - 1);
      }
      SLOT.setRelease(slots, (int) (version & (slots.length - 1)), next);
      head = next;
    }

    private Entity[] grow(Entity[] old, long headVersion) {
      Entity[] grown = new Entity[old.length * 2];
      for (long v = oldestRetained(headVersion); v <= headVersion; v++) {
        grown[(int) (v & (grown.length - 1))] = old[(int) (v & (old.length - 1))];
      }
      ring = grown; // the volatile write publishes the copied slots
      return grown;
    }
  }

  /** The view of a lineage that does not exist, for steps that may not create it. */
  private record Absent(String lineageId) implements LineageTx {

    @Override
    public Entity head() {
      return null;
    }

    @Override
    public Entity create(String entityType, Struct data, Provenance provenance) {
      throw new IllegalStateException("this step may not create lineage " + lineageId);
    }

    @Override
    public Entity append(Struct data, boolean tombstone, Provenance provenance) {
      throw new IllegalStateException("lineage " + lineageId + " does not exist");
    }

    @Override
    public Object attachment() {
      return null;
    }

    @Override
    public void attach(Object attachment) {
      throw new IllegalStateException("lineage " + lineageId + " does not exist");
    }
  }
}
