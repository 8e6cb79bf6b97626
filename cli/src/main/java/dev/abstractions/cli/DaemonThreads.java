package dev.abstractions.cli;

import java.util.concurrent.ThreadFactory;

/**
 * Daemon threads named {@code PREFIX-N}, so that no thread of a command's keeps its JVM alive. A
 * class rather than a lambda: the class-data archive cannot hold the CLI's lambdas (see
 * class-data-archive.sh).
 */
final class DaemonThreads implements ThreadFactory {

  private final String prefix;
  private int count;

  DaemonThreads(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public synchronized Thread newThread(Runnable task) {
    Thread thread = new Thread(task, prefix + "-" + ++count);
    thread.setDaemon(true);
    return thread;
  }
}
