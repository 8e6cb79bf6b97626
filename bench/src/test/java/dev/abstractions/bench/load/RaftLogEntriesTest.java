package dev.abstractions.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaftLogEntriesTest {

  /** A segment as Ratis writes it: header, then per entry a varint length, the entry and a 4-byte checksum. */
  private static byte[] segment(int[] entrySizes, int zeroPadding) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("RaftLog1".getBytes(StandardCharsets.US_ASCII));
    for (int size : entrySizes) {
      for (int value = size; ; value >>>= 7) {
        if ((value & ~0x7f) == 0) {
          out.write(value);
          break;
        }
        out.write((value & 0x7f) | 0x80);
      }
      out.writeBytes(new byte[size + 4]);
    }
    out.writeBytes(new byte[zeroPadding]);
    return out.toByteArray();
  }

  @Test
  void entriesAreCountedUpToThePreallocatedZeros() throws IOException {
    byte[] bytes = segment(new int[] {5, 300, 70_000}, 4096);

    assertThat(RaftLogEntries.entriesIn(new ByteArrayInputStream(bytes))).isEqualTo(3);
  }

  @Test
  void anEntryCutShortByTheEndOfTheFileIsNotCounted() throws IOException {
    byte[] bytes = segment(new int[] {10, 200}, 0);
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 3);

    assertThat(RaftLogEntries.entriesIn(new ByteArrayInputStream(cut))).isEqualTo(1);
  }

  @Test
  void aSegmentWithoutItsHeaderYetHasNoEntries() throws IOException {
    assertThat(RaftLogEntries.entriesIn(new ByteArrayInputStream(new byte[0]))).isZero();
    assertThat(RaftLogEntries.entriesIn(new ByteArrayInputStream(new byte[4096]))).isZero();
  }

  @Test
  void somethingElseIsRefused() {
    assertThatThrownBy(() -> RaftLogEntries.entriesIn(new ByteArrayInputStream("not a log".getBytes(StandardCharsets.US_ASCII))))
        .isInstanceOf(IOException.class);
  }

  @Test
  void theLastIndexIsTheOpenSegmentsStartPlusItsEntriesOrTheLastClosedSegmentsEnd(@TempDir Path dir)
      throws IOException {
    Path current = Files.createDirectories(dir.resolve("6a0b1d9e-3c55-4f0e-9a57-2e6b0c1f7d42/current"));
    Files.write(current.resolve("log_0-99"), segment(new int[] {1}, 0));
    Files.write(current.resolve("log_inprogress_100"), segment(new int[] {8, 8, 8}, 1024));
    Files.writeString(current.resolve("raft-meta"), "term 1");

    assertThat(RaftLogEntries.lastIndex(dir)).isEqualTo(102);

    Files.write(current.resolve("log_inprogress_100"), segment(new int[0], 1024));
    assertThat(RaftLogEntries.lastIndex(dir)).isEqualTo(99);
  }

  @Test
  void windowsAddUp(@TempDir Path dir) throws IOException {
    RaftLogEntries entries = new RaftLogEntries(dir);
    Files.write(dir.resolve("log_inprogress_0"), segment(new int[] {1, 1}, 0));
    entries.windowStarts();
    Files.write(dir.resolve("log_inprogress_0"), segment(new int[] {1, 1, 1, 1, 1}, 0));
    entries.windowEnds();
    Files.write(dir.resolve("log_0-9"), segment(new int[0], 0));
    Files.write(dir.resolve("log_inprogress_10"), segment(new int[0], 0));
    entries.windowStarts();
    Files.write(dir.resolve("log_inprogress_10"), segment(new int[] {1, 1}, 0));
    entries.windowEnds();

    assertThat(entries.entries()).isEqualTo(5);
    assertThat(RaftLogEntries.note(entries.entries(), 160)).isEqualTo("log entries 5.00 for 160 Updates (32.0 per entry)");
  }
}
