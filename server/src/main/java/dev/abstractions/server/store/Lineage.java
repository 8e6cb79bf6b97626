package dev.abstractions.server.store;

import dev.abstractions.api.v1.Entity;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The in-memory state of one lineage: its latest version and a bounded ring of recent versions.
 *
 * <p>Writers hold this object's monitor (see {@link InMemoryEntityStore}); readers take no lock.
 * A writer stores a version in the ring before it publishes it as the head (a volatile write), so
 * a reader that has seen a head can read every retained version up to it. A ring slot read after
 * it was reused for a newer version is recognised by its version number and reported as no longer
 * retained, which is true by then.
 */
final class Lineage {

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Entity[].class);

  private final int historyLimit;
  private volatile Entity head;
  /** Length is a power of two, at least min(head version, historyLimit). */
  private volatile Entity[] ring;

  Lineage(Entity first, int historyLimit) {
    this.historyLimit = historyLimit;
    this.ring = new Entity[Math.min(2, ringCapacity(historyLimit))];
    SLOT.setRelease(ring, 1 & (ring.length - 1), first);
    this.head = first;
  }

  Entity head() {
    return head;
  }

  /** Oldest version still retained given a head version. */
  long oldestRetained(long headVersion) {
    return Math.max(1, headVersion - historyLimit + 1);
  }

  /**
   * The retained version {@code version}, or null if the ring slot was reused meanwhile. Callers
   * check {@code oldestRetained(head) <= version <= head.version} first.
   */
  Entity retained(long version) {
    Entity[] slots = ring;
    Entity found = (Entity) SLOT.getAcquire(slots, (int) (version & (slots.length - 1)));
    return found != null && found.getVersion() == version ? found : null;
  }

  /** Appends the next version. Callers hold this object's monitor. */
  void append(Entity next) {
    Entity[] slots = ring;
    long version = next.getVersion();
    if (version > slots.length && slots.length < ringCapacity(historyLimit)) {
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
    ring = grown; // volatile write publishes the copied slots
    return grown;
  }

  private static int ringCapacity(int historyLimit) {
    return Integer.highestOneBit(Math.max(1, historyLimit - 1)) << 1;
  }
}
