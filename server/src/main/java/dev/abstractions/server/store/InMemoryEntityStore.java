package dev.abstractions.server.store;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import dev.abstractions.api.v1.Entity;
import jakarta.inject.Inject;
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
 * a {@link ConcurrentHashMap}; a write holds that object's monitor for the few microseconds it
 * takes to check the expected version, stamp and append the next version, and never across I/O,
 * so writes to different lineages never wait for each other and there is no global lock. Lineages
 * are never removed (ids are never reused), so a monitor once found stays the lineage's monitor.
 */
public final class InMemoryEntityStore implements EntityStore {

  private final ConcurrentHashMap<String, Lineage> lineages = new ConcurrentHashMap<>();
  /** Live (not deleted) lineage ids per entity type, sorted for paging. */
  private final ConcurrentHashMap<String, ConcurrentSkipListSet<String>> liveIdsByType =
      new ConcurrentHashMap<>();

  private final Clock clock;
  private final int historyLimit;

  @Inject
  public InMemoryEntityStore(Clock clock, StoreSettings settings) {
    this.clock = clock;
    this.historyLimit = settings.historyLimit();
  }

  @Override
  public VersionRead read(String lineageId, long version) {
    Lineage lineage = lineages.get(lineageId);
    if (lineage == null) {
      return VersionRead.NO_LINEAGE;
    }
    Entity head = lineage.head();
    long oldest = lineage.oldestRetained(head.getVersion());
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
    Entity latest = lineage.head(); // the slot was reused: report what is retained now
    return new VersionRead(
        VersionRead.Kind.NOT_RETAINED, latest, lineage.oldestRetained(latest.getVersion()));
  }

  @Override
  public WriteResult create(String lineageId, String entityType, Struct data, Provenance provenance) {
    long stamp = wallClockNanos();
    Timestamp now = timestamp(stamp);
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
    Lineage fresh = new Lineage(first, historyLimit);
    // Hold the new lineage's monitor while publishing it, so that a delete racing with this
    // create cannot update the type index before the create has added to it.
    synchronized (fresh) {
      Lineage existing = lineages.putIfAbsent(lineageId, fresh);
      if (existing != null) {
        return WriteResult.of(WriteResult.Kind.ALREADY_EXISTS, existing.head());
      }
      liveIdsByType.computeIfAbsent(entityType, type -> new ConcurrentSkipListSet<>()).add(lineageId);
      return WriteResult.written(first);
    }
  }

  @Override
  public WriteResult update(String lineageId, long expectedVersion, Struct data, Provenance provenance) {
    return append(lineageId, expectedVersion, data, false, provenance);
  }

  @Override
  public WriteResult delete(String lineageId, long expectedVersion, Provenance provenance) {
    return append(lineageId, expectedVersion, null, true, provenance);
  }

  /** The compare-and-set: appends the next version if {@code expectedVersion} is the head. */
  private WriteResult append(
      String lineageId, long expectedVersion, Struct data, boolean tombstone, Provenance provenance) {
    Lineage lineage = lineages.get(lineageId);
    if (lineage == null) {
      return WriteResult.NO_LINEAGE;
    }
    synchronized (lineage) {
      Entity head = lineage.head();
      if (head.getDeleted()) {
        return WriteResult.of(WriteResult.Kind.DELETED, head);
      }
      if (head.getVersion() != expectedVersion) {
        return WriteResult.of(WriteResult.Kind.VERSION_CONFLICT, head);
      }
      long stamp = Math.max(wallClockNanos(), head.getLastModifiedNs() + 1);
      Entity next =
          head.toBuilder()
              .setEcsId(Ids.newId())
              .setPreviousEcsId(head.getEcsId())
              .setVersion(head.getVersion() + 1)
              .setLastModifiedNs(stamp)
              .setModifiedAt(timestamp(stamp))
              .setData(tombstone ? head.getData() : data)
              .setDerivedFromOpId(provenance.opId())
              .setDerivedFromFunction(provenance.function())
              .setDeleted(tombstone)
              .build();
      lineage.append(next);
      if (tombstone) {
        ConcurrentSkipListSet<String> live = liveIdsByType.get(head.getEntityType());
        if (live != null) {
          live.remove(lineageId);
        }
      }
      return WriteResult.written(next);
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
      Entity head = lineages.get(ids.next()).head();
      if (!head.getDeleted()) {
        page.add(head);
      }
    }
    return new EntityPage(page, ids.hasNext());
  }

  @Override
  public Optional<HistoryPage> history(String lineageId, long fromVersion, int limit) {
    Lineage lineage = lineages.get(lineageId);
    if (lineage == null) {
      return Optional.empty();
    }
    Entity head = lineage.head();
    List<Entity> versions = new ArrayList<>(Math.min(limit, 64));
    long version = Math.max(fromVersion, lineage.oldestRetained(head.getVersion()));
    while (version <= head.getVersion() && versions.size() < limit) {
      Entity found = version == head.getVersion() ? head : lineage.retained(version);
      if (found == null) {
        // Writers moved on and reused the slot: restart the page from what is retained now, so
        // a page never has a gap.
        versions.clear();
        head = lineage.head();
        version = lineage.oldestRetained(head.getVersion());
        continue;
      }
      versions.add(found);
      version++;
    }
    long next = version <= head.getVersion() ? version : 0;
    return Optional.of(new HistoryPage(versions, next, lineage.oldestRetained(head.getVersion())));
  }

  private long wallClockNanos() {
    Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private static Timestamp timestamp(long epochNanos) {
    return Timestamp.newBuilder()
        .setSeconds(Math.floorDiv(epochNanos, 1_000_000_000L))
        .setNanos((int) Math.floorMod(epochNanos, 1_000_000_000L))
        .build();
  }
}
