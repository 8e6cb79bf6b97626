package dev.abstractions.cli;

import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventFilter;
import dev.abstractions.api.v1.EventKind;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.client.EventListener;
import dev.abstractions.client.EventSubscriber;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code watch}: prints events as they happen through the client's resuming subscriber, so a
 * dropped connection or a server ending the stream costs nothing: it resumes from the last event
 * printed, and no event is printed twice or skipped.
 */
@Command(name = "watch",
    description = {
      "Prints events as they happen, one line each (with --json: one Event object each). Resumes by "
          + "itself after a dropped connection, printing every event exactly once, in order.",
      "Runs until interrupted, or until --max-events have been printed (exit code 0). If the events "
          + "it needs have left the server's log, it prints the oldest sequence still held "
          + "(oldest_sequence) and exits with code 7."
    })
final class WatchCommand implements Callable<Integer> {

  @ParentCommand
  private AbstractionsCli cli;

  @Spec
  private CommandSpec spec;

  @Mixin
  private HelpOption help;

  @Option(names = "--kind", paramLabel = "K", split = ",", converter = Converters.Kind.class,
      description = "Only these kinds (repeat or separate with commas): entity_created, entity_versioned, "
          + "entity_deleted, operation_started, operation_conflict, operation_retry, operation_rejected, "
          + "operation_succeeded, operation_failed, operation_cancelled, tree_changed, tree_promoted, "
          + "tree_attached.")
  private List<EventKind> kinds = new ArrayList<>();

  @Option(names = "--lineage", paramLabel = "ID", split = ",", description = "Only events about these entities.")
  private List<String> lineageIds = new ArrayList<>();

  @Option(names = "--type", paramLabel = "T", split = ",", description = "Only events about entities of these types.")
  private List<String> types = new ArrayList<>();

  @Option(names = "--op", paramLabel = "OPID", split = ",", description = "Only events about these operations.")
  private List<String> opIds = new ArrayList<>();

  @Option(names = "--min-priority", paramLabel = "N", description = "Only events of at least this priority (0..10).")
  private int minPriority;

  @ArgGroup(exclusive = true)
  private Start start;

  @Option(names = "--include-entities",
      description = "entity_versioned events, and each member of the tree events, carry the new version.")
  private boolean includeEntities;

  @Option(names = "--max-events", paramLabel = "N",
      description = "Exit after printing this many events (default: run until interrupted).")
  private long maxEvents;

  /** Where to start; from now when neither is given. */
  static final class Start {
    @Option(names = "--from-sequence", paramLabel = "N", required = true,
        description = "Start at this sequence (inclusive).")
    private long fromSequence;

    @Option(names = "--from-oldest", required = true, description = "Start at the oldest event the server holds.")
    private boolean fromOldest;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (maxEvents < 0) {
      throw new ParameterException(spec.commandLine(), "--max-events must not be negative, was " + maxEvents);
    }
    SubscribeRequest.Builder request = SubscribeRequest.newBuilder()
        .setFilter(EventFilter.newBuilder()
            .addAllKinds(kinds)
            .addAllLineageIds(lineageIds)
            .addAllEntityTypes(types)
            .addAllOpIds(opIds)
            .setMinPriority(minPriority))
        .setIncludeEntities(includeEntities);
    if (start == null) {
      request.setFromNow(true);
    } else if (start.fromOldest) {
      request.setFromOldest(true);
    } else {
      request.setFromSequence(start.fromSequence);
    }
    try (Session session = cli.connect()) {
      if (!session.awaitConnected(cli.timeout())) {
        throw new CliException(ExitCodes.UNAVAILABLE, "UNAVAILABLE",
            "cannot reach " + session.target() + " (the first connection attempt failed or took over "
            + cli.timeout().toSeconds() + " s)");
      }
      Printer printer = new Printer(cli.output(), maxEvents);
      EventSubscriber subscriber = session.client().subscribe(request.build(), printer);
      try {
        printer.done.await();
      } finally {
        subscriber.close();
      }
      if (printer.error != null) {
        throw printer.error;
      }
    }
    return ExitCodes.OK;
  }

  /** Prints each event; counts down once the last wanted event is printed or the subscription ends. */
  private static final class Printer implements EventListener {

    private final Output output;
    private final long maxEvents;
    private final CountDownLatch done = new CountDownLatch(1);
    // The subscriber never calls a listener concurrently; the latch publishes both to the waiter.
    private long printed;
    private RuntimeException error;

    Printer(Output output, long maxEvents) {
      this.output = output;
      this.maxEvents = maxEvents;
    }

    @Override
    public void onEvent(Event event) {
      if (maxEvents > 0 && printed >= maxEvents) {
        return;
      }
      output.event(event);
      printed++;
      if (printed == maxEvents) {
        done.countDown();
      }
    }

    @Override
    public void onError(RuntimeException failure) {
      error = failure;
      done.countDown();
    }
  }
}
