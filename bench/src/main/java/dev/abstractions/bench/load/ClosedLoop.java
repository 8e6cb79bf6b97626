package dev.abstractions.bench.load;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop load generator: {@code concurrency} logical calls are always in flight; each slot
 * starts its next call as soon as the previous one completes (on the thread that completed it,
 * typically a transport thread of a {@code directExecutor} channel). Latency is recorded per
 * logical call in an HdrHistogram {@link Recorder} (wait-free for the recording threads); only
 * calls that complete inside the measured window count. A failed call is counted and its slot
 * restarts after 1 ms, so a dead server cannot make the loop spin.
 *
 * <p>Each run is bounded: after the window no new calls start, and the run waits at most 10 s for
 * the calls in flight to drain.
 */
public final class ClosedLoop {

  /** One logical call for a slot; must call exactly one method of {@code completion}, once. */
  @FunctionalInterface
  public interface Call {
    void start(int slot, Completion completion);
  }

  /** How a logical call ended. */
  public interface Completion {
    /** It did what it should: its latency is recorded and it counts toward throughput. */
    void succeeded();

    /** It ended by design without counting (e.g. an operation the server rejected). */
    void finished();

    /** It failed unexpectedly: counted as an error. */
    void failed(Throwable error);
  }

  /**
   * What the measured window saw.
   *
   * @param latencyNanos latencies of the calls that succeeded in the window
   * @param window its wall and CPU time
   * @param errors calls that failed in the window
   * @param firstError the first failure of the whole run, or null
   */
  public record Result(Histogram latencyNanos, MeasuredWindow.Cpu window, long errors, Throwable firstError) {

    /** Successful calls per second. */
    public double throughput() {
      return latencyNanos.getTotalCount() / window.seconds();
    }

    public LatencySummary latency() {
      return LatencySummary.ofNanos(latencyNanos);
    }

    /** "first error: ..." naming the run's first failure (a gRPC status: its code and description), or "". */
    public String firstErrorNote() {
      return firstErrorNote(firstError);
    }

    static String firstErrorNote(Throwable error) {
      if (error == null) {
        return "";
      }
      io.grpc.Status status = io.grpc.Status.fromThrowable(error);
      String text = status.getCode() != io.grpc.Status.Code.UNKNOWN || status.getDescription() != null
          ? status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription())
          : error.toString();
      return "first error: " + (text.length() > 200 ? text.substring(0, 200) + "…" : text);
    }
  }

  private ClosedLoop() {}

  /** Runs {@code call} closed-loop with no window callbacks. */
  public static Result run(int concurrency, Duration warmup, Duration measure, long serverPid, Call call)
      throws InterruptedException {
    return run(concurrency, warmup, measure, serverPid, call, () -> {}, () -> {});
  }

  /**
   * Runs {@code call} in {@code concurrency} slots through a warm-up and a measured window;
   * {@code atStart} and {@code atEnd} run at the window's edges (to reset and collect a
   * scenario's own counters).
   */
  public static Result run(int concurrency, Duration warmup, Duration measure, long serverPid, Call call,
      Runnable atStart, Runnable atEnd) throws InterruptedException {
    return run(concurrency, warmup, measure, serverPid > 0 ? new long[] {serverPid} : new long[0], call, atStart,
        atEnd);
  }

  /** As above, against a server of several processes ({@code serverPids}: their CPU is summed). */
  public static Result run(int concurrency, Duration warmup, Duration measure, long[] serverPids, Call call,
      Runnable atStart, Runnable atEnd) throws InterruptedException {
    Recorder recorder = new Recorder(3);
    LongAdder errors = new LongAdder();
    AtomicReference<Throwable> firstError = new AtomicReference<>();
    AtomicInteger inFlight = new AtomicInteger(concurrency);
    ScheduledExecutorService restarts = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "closed-loop-restart");
      thread.setDaemon(true);
      return thread;
    });
    Slot[] slots = new Slot[concurrency];
    try {
      for (int i = 0; i < concurrency; i++) {
        slots[i] = new Slot(i, call, recorder, errors, firstError, inFlight, restarts);
      }
      for (Slot slot : slots) {
        slot.next();
      }
      long[] errorsAtStart = new long[1];
      Histogram[] measured = new Histogram[1];
      long[] errorsAtEnd = new long[1];
      MeasuredWindow.Cpu window = MeasuredWindow.run(warmup, measure, serverPids,
          () -> {
            recorder.getIntervalHistogram(); // drop the warm-up
            errorsAtStart[0] = errors.sum();
            atStart.run();
          },
          () -> {
            measured[0] = recorder.getIntervalHistogram();
            errorsAtEnd[0] = errors.sum();
            atEnd.run();
          });
      for (Slot slot : slots) {
        slot.stop();
      }
      long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (inFlight.get() > 0 && System.nanoTime() < drainDeadline) {
        Thread.sleep(5);
      }
      return new Result(measured[0], window, errorsAtEnd[0] - errorsAtStart[0], firstError.get());
    } finally {
      for (Slot slot : slots) {
        if (slot != null) {
          slot.stop();
        }
      }
      restarts.shutdownNow();
    }
  }

  private static final class Slot implements Completion {
    private final int index;
    private final Call call;
    private final Recorder recorder;
    private final LongAdder errors;
    private final AtomicReference<Throwable> firstError;
    private final AtomicInteger inFlight;
    private final ScheduledExecutorService restarts;
    private volatile boolean running = true;
    private long startedNanos;

    Slot(int index, Call call, Recorder recorder, LongAdder errors, AtomicReference<Throwable> firstError,
        AtomicInteger inFlight, ScheduledExecutorService restarts) {
      this.index = index;
      this.call = call;
      this.recorder = recorder;
      this.errors = errors;
      this.firstError = firstError;
      this.inFlight = inFlight;
      this.restarts = restarts;
    }

    void stop() {
      running = false;
    }

    void next() {
      if (!running) {
        inFlight.decrementAndGet();
        return;
      }
      startedNanos = System.nanoTime();
      try {
        call.start(index, this);
      } catch (RuntimeException e) {
        failed(e);
      }
    }

    @Override
    public void succeeded() {
      recorder.recordValue(System.nanoTime() - startedNanos);
      next();
    }

    @Override
    public void finished() {
      next();
    }

    @Override
    public void failed(Throwable error) {
      errors.increment();
      firstError.compareAndSet(null, error);
      try {
        restarts.schedule(this::next, 1, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        inFlight.decrementAndGet(); // the run is over
      }
    }
  }
}
