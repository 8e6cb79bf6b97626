package dev.abstractions.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time consumed so far, of this process (the load generator) and of another process (a server
 * under test, read from {@code /proc/<pid>/stat}). Stateless.
 */
public final class CpuTime {

  /** Linux's USER_HZ: {@code utime} and {@code stime} count these ticks per second. */
  static final long TICKS_PER_SECOND = 100;

  private CpuTime() {}

  /** CPU nanoseconds this JVM has used, all threads, user and system. */
  public static long ownNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** CPU nanoseconds process {@code pid} has used, user and system; -1 if it is gone. */
  public static long processNanos(long pid) {
    try {
      return ticksToNanos(parseStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat"))));
    } catch (java.nio.file.NoSuchFileException e) {
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * CPU nanoseconds processes {@code pids} have used together (the members of a replicated
   * group); -1 if there are none or one of them is gone.
   */
  public static long processesNanos(long[] pids) {
    long sum = pids.length == 0 ? -1 : 0;
    for (long pid : pids) {
      long nanos = processNanos(pid);
      if (nanos < 0) {
        return -1;
      }
      sum += nanos;
    }
    return sum;
  }

  /**
   * {@code utime + stime} in ticks from one {@code /proc/<pid>/stat} line. The command name
   * (field 2) is in parentheses and may itself contain spaces and parentheses, so fields are
   * counted from the last ')': utime and stime are fields 14 and 15 of the line.
   */
  static long parseStat(String stat) {
    int end = stat.lastIndexOf(')');
    if (end < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
    }
    String[] fields = stat.substring(end + 1).trim().split("\\s+");
    // fields[0] is field 3 (state), so field n is fields[n - 3].
    if (fields.length < 13) {
      throw new IllegalArgumentException("too few fields in /proc/<pid>/stat line: " + stat);
    }
    return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
  }

  static long ticksToNanos(long ticks) {
    return ticks * (1_000_000_000L / TICKS_PER_SECOND);
  }

  /** Cores busy on average: CPU time over wall time. NaN when the CPU time is unknown (negative). */
  public static double cores(long cpuNanos, long wallNanos) {
    return cpuNanos < 0 || wallNanos <= 0 ? Double.NaN : (double) cpuNanos / wallNanos;
  }
}
