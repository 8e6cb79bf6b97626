package dev.abstractions.server.store;

import dev.abstractions.server.core.Refusal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The free space of the durable store's data directory against {@code --min-free-disk}. A log that
 * runs out of room fails mid-entry, so writes are refused (DISK_FULL) while the free space is below
 * the minimum, before they become log entries; deletes and aborts, which let a user make room (a
 * smaller state makes smaller snapshots, after which old log segments go), never are, and the
 * margin keeps room for them and for the next snapshot.
 *
 * <p>{@link #refresh} reads the file system (one {@code statfs}); the server's store watch calls it
 * twice a second, so that a write only reads a volatile field. Between two refreshes the writes
 * can take what they write in half a second out of the margin. Thread-safe.
 */
public final class DiskSpace {

  private static final Logger log = LoggerFactory.getLogger(DiskSpace.class);

  private final Path directory;
  private final long minFreeBytes;
  private volatile long freeBytes = Long.MAX_VALUE;
  /** Whether the last refresh could read the file system; it logs only when this changes. */
  private boolean readable = true;

  private DiskSpace(Path directory, long minFreeBytes) {
    this.directory = directory;
    this.minFreeBytes = minFreeBytes;
  }

  /** The space of {@code directory} (the durable store's, created before the first refresh). */
  public static DiskSpace of(Path directory, long minFreeBytes) {
    return new DiskSpace(directory, minFreeBytes);
  }

  /** For a store that keeps nothing on disk: never short. */
  public static DiskSpace none() {
    return new DiskSpace(null, 0);
  }

  /** Reads the directory's free space again, and logs when writes stop or resume for it. */
  public synchronized void refresh() {
    if (directory == null) {
      return;
    }
    long before = freeBytes;
    long now;
    try {
      now = Files.getFileStore(directory).getUsableSpace();
    } catch (IOException e) {
      // The last figure stands: the store's own writes will fail, and say why, if the directory is gone.
      if (readable) {
        log.atWarn().addKeyValue("data-dir", directory).log("cannot read the free space of the data directory: {}",
            e.toString());
      }
      readable = false;
      return;
    }
    readable = true;
    freeBytes = now;
    if (now < minFreeBytes && before >= minFreeBytes) {
      log.atError().addKeyValue("free-bytes", now).addKeyValue("min-free-disk", minFreeBytes)
          .log("the data directory has {} bytes free, less than --min-free-disk: writes are refused (DISK_FULL) "
              + "until space is freed", now);
    } else if (now >= minFreeBytes && before < minFreeBytes) {
      log.atInfo().addKeyValue("free-bytes", now).addKeyValue("min-free-disk", minFreeBytes)
          .log("the data directory has {} bytes free again: writes are accepted", now);
    }
  }

  /** Null while writes may go on, else the refusal for one. */
  public Refusal shortage() {
    long free = freeBytes;
    return free < minFreeBytes ? Refusal.disk(free, minFreeBytes) : null;
  }

  /** Free bytes at the last refresh ({@link Long#MAX_VALUE} for a store without a directory). */
  public long freeBytes() {
    return freeBytes;
  }
}
