package dev.abstractions.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The mounted filesystem a directory is on, from {@code /proc/mounts}: the durable comparison is
 * only fair when the durable server's and etcd's data dirs are on the same real disk, so the
 * harness checks that they are not in memory and names the filesystem in the report.
 *
 * @param device what is mounted (e.g. /dev/vda)
 * @param type the filesystem type (e.g. ext4, tmpfs)
 * @param mountPoint where it is mounted
 */
record Filesystem(String device, String type, String mountPoint) {

  private static final Set<String> IN_MEMORY = Set.of("tmpfs", "ramfs");

  /** The filesystem of {@code dir} (which must exist) on this machine. */
  static Filesystem of(Path dir) throws IOException {
    return of(dir.toRealPath(), Files.readString(Path.of("/proc/mounts")));
  }

  /** The mount of {@code realPath} in {@code procMounts}: the last of the longest mount points that contain it. */
  static Filesystem of(Path realPath, String procMounts) {
    Filesystem best = null;
    for (String line : procMounts.split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length < 3) {
        continue;
      }
      // /proc/mounts escapes spaces and other special characters in paths as octal (\040).
      Path mountPoint = Path.of(fields[1].replace("\\040", " "));
      if (realPath.startsWith(mountPoint)
          && (best == null || mountPoint.getNameCount() >= Path.of(best.mountPoint).getNameCount())) {
        best = new Filesystem(fields[0], fields[2], mountPoint.toString());
      }
    }
    if (best == null) {
      throw new IllegalArgumentException("no mount contains " + realPath);
    }
    return best;
  }

  boolean inMemory() {
    return IN_MEMORY.contains(type);
  }

  @Override
  public String toString() {
    return type + " " + device;
  }
}
