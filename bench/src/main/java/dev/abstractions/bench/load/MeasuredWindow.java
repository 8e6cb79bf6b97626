package dev.abstractions.bench.load;

import java.time.Duration;

/**
 * Times a warm-up and then a measured window, and samples the CPU time of the load generator and
 * of the server under test (all its processes, for a replicated group) at the window's edges. The load itself runs on other threads; the
 * {@code atStart} and {@code atEnd} callbacks reset and collect its counters, exactly at the edges.
 */
public final class MeasuredWindow {

  /**
   * Wall time and CPU time of one measured window.
   *
   * @param wallNanos how long the window lasted
   * @param clientCpuNanos CPU the load generator's JVM used in it
   * @param serverCpuNanos CPU the server processes used in it, or -1 when it is not a separate process
   */
  public record Cpu(long wallNanos, long clientCpuNanos, long serverCpuNanos) {

    public double seconds() {
      return wallNanos / 1e9;
    }

    public double clientCores() {
      return CpuTime.cores(clientCpuNanos, wallNanos);
    }

    public double serverCores() {
      return CpuTime.cores(serverCpuNanos, wallNanos);
    }
  }

  private MeasuredWindow() {}

  /**
   * Sleeps through {@code warmup}, runs {@code atStart}, sleeps through {@code measure}, runs
   * {@code atEnd}. {@code serverPids} are the server's process ids (their CPU is summed), none
   * when it is not a separate process.
   */
  public static Cpu run(Duration warmup, Duration measure, long[] serverPids, Runnable atStart, Runnable atEnd)
      throws InterruptedException {
    Thread.sleep(warmup.toMillis());
    long clientBefore = CpuTime.ownNanos();
    long serverBefore = CpuTime.processesNanos(serverPids);
    long started = System.nanoTime();
    atStart.run();
    Thread.sleep(measure.toMillis());
    atEnd.run();
    long wall = System.nanoTime() - started;
    long clientAfter = CpuTime.ownNanos();
    long serverAfter = CpuTime.processesNanos(serverPids);
    long serverCpu = serverBefore < 0 || serverAfter < 0 ? -1 : serverAfter - serverBefore;
    return new Cpu(wall, clientAfter - clientBefore, serverCpu);
  }
}
