package dev.abstractions.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FilesystemTest {

  private static final String MOUNTS = String.join("\n",
      "/dev/vda / ext4 rw,relatime,discard 0 0",
      "tmpfs /dev/shm tmpfs rw,relatime,size=24683620k 0 0",
      "tmpfs /tmp tmpfs rw 0 0",
      "/dev/vdb /mnt/fast\\040disk xfs rw 0 0",
      "");

  @Test
  void theLongestMountPointThatContainsThePathWins() {
    assertThat(Filesystem.of(Path.of("/work/bench"), MOUNTS)).isEqualTo(new Filesystem("/dev/vda", "ext4", "/"));
    assertThat(Filesystem.of(Path.of("/dev/shm/x"), MOUNTS).inMemory()).isTrue();
    assertThat(Filesystem.of(Path.of("/tmp/abstractions-bench.1"), MOUNTS).inMemory()).isTrue();
    assertThat(Filesystem.of(Path.of("/mnt/fast disk/data"), MOUNTS).toString()).isEqualTo("xfs /dev/vdb");
  }

  @Test
  void aPrefixOfANameIsNotItsParent() {
    assertThat(Filesystem.of(Path.of("/tmpdata/x"), MOUNTS).type()).isEqualTo("ext4");
  }
}
