package dev.abstractions.server.operate;

import dev.abstractions.server.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A test entry point: the real server ({@link Main}, with everything it installs), plus a thread
 * that dies of an uncaught exception when the line {@code die} arrives on standard input. So a
 * test decides when a thread of a serving process dies, without waiting for a bug to do it.
 */
public final class ThreadDyingOnCue {

  /** The message of the exception the thread dies of. */
  static final String CAUSE = "dying on cue";

  private ThreadDyingOnCue() {}

  public static void main(String[] args) throws Exception {
    Thread cue = new Thread(ThreadDyingOnCue::awaitCue, "cue");
    cue.setDaemon(true);
    cue.start();
    Main.main(args);
  }

  private static void awaitCue() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.equals("die")) {
          Thread doomed = new Thread(() -> {
            throw new IllegalStateException(CAUSE);
          }, "doomed");
          doomed.start();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
