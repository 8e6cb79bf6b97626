package dev.abstractions.bench.load;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Counts the log entries the durable server appended in measured windows, read from its Raft log
 * on disk (Apache Ratis's segment files): the server exports no such figure, and entries per
 * command is what shows its group commit at work. The last index at an edge is the highest closed
 * segment's end, or the open segment's start plus the entries written to it so far. Log indices
 * include Ratis's own entries (configuration, leader's first entry), which a steady write load does
 * not add. Windows accumulate; used by one thread at a time.
 */
final class RaftLogEntries {

  private static final Pattern CLOSED = Pattern.compile("log_(\\d+)-(\\d+)");
  private static final Pattern OPEN = Pattern.compile("log_inprogress_(\\d+)");
  private static final byte[] HEADER = "RaftLog1".getBytes(StandardCharsets.US_ASCII);

  private final Path dataDir;
  private long atStart;
  private long entries;

  RaftLogEntries(Path dataDir) {
    this.dataDir = dataDir;
  }

  void windowStarts() {
    atStart = lastIndex(dataDir);
  }

  void windowEnds() {
    entries += lastIndex(dataDir) - atStart;
  }

  /** Entries appended in all windows so far. */
  long entries() {
    return entries;
  }

  /** For the report: how many commands an entry carried, e.g. "log entries 2,000 for 64,000 Updates (32.0 per entry)". */
  static String note(long entries, long commands) {
    return "log entries " + Ratio.rate(entries) + " for " + Ratio.rate(commands) + " Updates ("
        + Ratio.number(Ratio.of(commands, entries)) + " per entry)";
  }

  /**
   * The index of the last entry in the log under {@code dataDir}, or -1 for none. A segment can be
   * closed (renamed) between the listing and the reading: then the listing is read again.
   */
  static long lastIndex(Path dataDir) {
    for (int attempt = 0; ; attempt++) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        long last = -1;
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          String name = file.getFileName().toString();
          Matcher closed = CLOSED.matcher(name);
          Matcher open = OPEN.matcher(name);
          if (closed.matches()) {
            last = Math.max(last, Long.parseLong(closed.group(2)));
          } else if (open.matches()) {
            try (InputStream in = Files.newInputStream(file)) {
              last = Math.max(last, Long.parseLong(open.group(1)) + entriesIn(in) - 1);
            }
          }
        }
        return last;
      } catch (NoSuchFileException e) {
        if (attempt >= 3) {
          throw new UncheckedIOException(e);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * The complete entries in one segment: after the 8-byte header, each entry is its length (a
   * protobuf varint), the serialized entry and a 4-byte checksum. The open segment is preallocated
   * with zeros, so a zero length, or the end of the file, ends it (an entry being written as it is
   * read can count early: one entry at most, against thousands in a window).
   */
  static long entriesIn(InputStream segment) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(segment, 1 << 16));
    byte[] header = new byte[HEADER.length];
    try {
      in.readFully(header);
    } catch (EOFException e) {
      return 0;
    }
    if (Arrays.equals(header, new byte[HEADER.length])) {
      return 0; // preallocated, header not written yet
    }
    if (!Arrays.equals(header, HEADER)) {
      throw new IOException("not a Ratis log segment (header " + new String(header, StandardCharsets.US_ASCII) + ")");
    }
    long count = 0;
    while (true) {
      int length = readVarint(in);
      if (length <= 0) {
        return count;
      }
      for (long remaining = length + 4L; remaining > 0; ) {
        long skipped = in.skip(remaining);
        if (skipped <= 0) {
          if (in.read() < 0) {
            return count;
          }
          skipped = 1;
        }
        remaining -= skipped;
      }
      count++;
    }
  }

  /** A protobuf varint32, or -1 at the end of the stream. */
  private static int readVarint(DataInputStream in) throws IOException {
    int value = 0;
    for (int shift = 0; shift < 32; shift += 7) {
      int b = in.read();
      if (b < 0) {
        return -1;
      }
      value |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    return -1;
  }
}
