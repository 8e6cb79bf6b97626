package dev.abstractions.bench.load;

import com.google.protobuf.Duration;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.server.core.RetryPolicy;
import io.grpc.Status;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * What a closed-loop writer of one priority class does when a write does not land, the same in
 * (d) on one entity and in (t3) on one tree: a shed Begin, a plain compare-and-set that lost (the
 * server's own backoff per class, bounded by the class's retry budget), and the pause before the
 * next write after one that did not land. Thread-safe.
 */
final class ClassBackoff {

  private final PriorityClass priorityClass;
  private final PriorityScenarios.Counters counters;
  private final ScheduledExecutorService timer;

  ClassBackoff(PriorityClass priorityClass, PriorityScenarios.Counters counters, ScheduledExecutorService timer) {
    this.priorityClass = priorityClass;
    this.counters = counters;
    this.timer = timer;
  }

  /**
   * A Begin that failed: shed before anything was computed (TARGET_BUSY, RESOURCE_EXHAUSTED), the
   * write ends without landing; anything else fails the loop.
   */
  void beginFailed(Throwable error, long started, ClosedLoop.Completion done) {
    if (Status.fromThrowable(error).getCode() != Status.Code.RESOURCE_EXHAUSTED) {
      done.failed(error);
      return;
    }
    counters.shed();
    counters.ended(false, 0, started);
    pauseThenFinish(done);
  }

  /**
   * A plain compare-and-set write that failed after {@code failures} charged ones: a conflict
   * (ABORTED) is charged and {@code retry} runs with the new count after the class's backoff, or
   * the write is given up past the class's retry budget; anything else fails the loop.
   */
  void writeFailed(Throwable error, int failures, long started, ClosedLoop.Completion done, IntConsumer retry) {
    if (Status.fromThrowable(error).getCode() != Status.Code.ABORTED) {
      done.failed(error);
      return;
    }
    counters.attempt(false);
    int charged = failures + 1;
    if (charged > RetryPolicy.defaultMaxRetries(priorityClass)) {
      counters.ended(false, charged, started);
      pauseThenFinish(done);
    } else {
      timer.schedule(() -> retry.accept(charged),
          RetryPolicy.retryAfterNanos(priorityClass, charged, ThreadLocalRandom.current().nextDouble()),
          TimeUnit.NANOSECONDS);
    }
  }

  /** Runs {@code next} after the server's {@code retry_after}, at once when it is zero. */
  void after(Duration retryAfter, Runnable next) {
    long wait = retryAfter.getSeconds() * 1_000_000_000L + retryAfter.getNanos();
    if (wait == 0) {
      next.run();
    } else {
      timer.schedule(next, wait, TimeUnit.NANOSECONDS);
    }
  }

  /** After a write that did not land, back off as for a first conflict before the next one. */
  void pauseThenFinish(ClosedLoop.Completion done) {
    timer.schedule(done::finished,
        RetryPolicy.retryAfterNanos(priorityClass, 1, ThreadLocalRandom.current().nextDouble()),
        TimeUnit.NANOSECONDS);
  }
}
