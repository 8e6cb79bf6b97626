package dev.abstractions.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's answer to a failure it cannot recover from: a thread dying of an uncaught
 * throwable, or an {@link OutOfMemoryError} that a library caught and would have carried on after
 * (the gRPC layer hands those here, see {@code CallGuard}). Whatever state the failure interrupted
 * is suspect, and a server that keeps answering SERVING with a dead event dispatcher or a
 * half-applied write is worse than none. So it logs one line, turns health NOT_SERVING and halts
 * the JVM with {@link #EXIT_CODE}, without running shutdown hooks, so that the orchestrator
 * restarts it.
 *
 * <p>Installed once, by {@link Main}, as the default uncaught-exception handler; tests that run
 * servers in their own JVM leave the JDK's default in place. Thread-safe: the first failure wins,
 * later ones wait for the halt.
 */
final class FatalErrorHandler implements Thread.UncaughtExceptionHandler {

  /** The exit status after a fatal error (sysexits' EX_SOFTWARE); 2 is a bad setting, 3 the JVM's own exit on OOM. */
  static final int EXIT_CODE = 70;

  private static final Logger log = LoggerFactory.getLogger(FatalErrorHandler.class);

  /**
   * Heap set aside at start and let go of when dying, so that logging the one line does not fail
   * for want of memory when memory is what ran out.
   */
  private static final int RESERVE_BYTES = 1 << 20;

  private static final String UNLOGGED =
      "abstractions-server: fatal error (it could not be logged): the process exits with status " + EXIT_CODE;

  private final Runnable reportNotServing;
  @SuppressWarnings("unused") // held only to be let go of
  private byte[] reserve = new byte[RESERVE_BYTES];

  /** {@code reportNotServing} turns health NOT_SERVING; it runs once, before the halt. */
  FatalErrorHandler(Runnable reportNotServing) {
    this.reportNotServing = reportNotServing;
  }

  @Override
  public synchronized void uncaughtException(Thread thread, Throwable error) {
    reserve = null;
    // Each step may itself fail when memory has run out; none may keep the process from halting.
    try {
      StackTraceElement[] trace = error.getStackTrace();
      log.atError()
          .addKeyValue("thread", thread.getName())
          .addKeyValue("error", error.toString())
          .addKeyValue("at", trace.length > 0 ? trace[0].toString() : "(no stack trace)")
          .addKeyValue("exitCode", EXIT_CODE)
          .log("fatal error: health is NOT_SERVING and the process exits");
    } catch (Throwable logFailed) {
      try {
        System.err.println(UNLOGGED);
      } catch (Throwable ignored) {
        // Nothing left to tell it with.
      }
    }
    try {
      reportNotServing.run();
    } catch (Throwable ignored) {
      // Exiting is what takes the server out of rotation; health is only the courtesy before it.
    }
    Runtime.getRuntime().halt(EXIT_CODE);
  }
}
