package dev.abstractions.cli;

import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventFilter;
import dev.abstractions.api.v1.EventKind;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.client.EventListener;
import dev.abstractions.client.EventSubscriber;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code watch}: prints events as they happen through the client's resuming subscriber, so a
 * dropped connection or a server ending the stream costs nothing: it resumes from the last event
 * printed, and no event is printed twice or skipped.
 */
final class WatchCommand implements Callable<Integer> {

  private final AbstractionsCli cli;

  private final CommandSpec spec = Specs.command(this, "watch",
      "Prints events as they happen, one line each (with --json: one Event object each). Resumes by itself after "
          + "a dropped connection, printing every event exactly once, in order.",
      "Runs until interrupted, or until --max-events have been printed (exit code 0). If the events it needs "
          + "have left the server's log, it prints the oldest sequence still held (oldest_sequence) and exits with "
          + "code 7.");

  private final OptionSpec kinds = Specs.option(spec, OptionSpec.builder("--kind")
      .paramLabel("K")
      .type(List.class)
      .auxiliaryTypes(EventKind.class)
      .splitRegex(",")
      .converters(new Converters.Kind())
      .initialValue(List.of())
      .description("Only these kinds (repeat or separate with commas): entity_created, entity_versioned, "
          + "entity_deleted, operation_started, operation_conflict, operation_retry, operation_rejected, "
          + "operation_succeeded, operation_failed, operation_cancelled, tree_changed, tree_promoted, "
          + "tree_attached."));

  private final OptionSpec lineageIds = strings("--lineage", "ID", "Only events about these entities.");

  private final OptionSpec types = strings("--type", "T", "Only events about entities of these types.");

  private final OptionSpec opIds = strings("--op", "OPID", "Only events about these operations.");

  private final OptionSpec minPriority = Specs.option(spec, OptionSpec.builder("--min-priority")
      .paramLabel("N")
      .type(int.class)
      .initialValue(0)
      .description("Only events of at least this priority (0..10)."));

  /**
   * Where to start: one of these two, which the constructor puts in an exclusive group, or from now
   * when neither is given (then picocli sets neither value: both stay null).
   */
  private final OptionSpec fromSequence = OptionSpec.builder("--from-sequence")
      .paramLabel("N")
      .type(Long.class)
      .required(true)
      .description("Start at this sequence (inclusive).")
      .build();

  private final OptionSpec fromOldest = OptionSpec.builder("--from-oldest")
      .type(boolean.class)
      .required(true)
      .description("Start at the oldest event the server holds.")
      .build();

  private final OptionSpec includeEntities = Specs.option(spec, OptionSpec.builder("--include-entities")
      .type(boolean.class)
      .initialValue(false)
      .description("entity_versioned events, and each member of the tree events, carry the new version."));

  private final OptionSpec maxEvents = Specs.option(spec, OptionSpec.builder("--max-events")
      .paramLabel("N")
      .type(long.class)
      .initialValue(0L)
      .description("Exit after printing this many events (default: run until interrupted)."));

  WatchCommand(AbstractionsCli cli) {
    this.cli = cli;
    spec.addArgGroup(ArgGroupSpec.builder().exclusive(true).addArg(fromSequence).addArg(fromOldest).build());
  }

  CommandSpec spec() {
    return spec;
  }

  /** Adds a filter option of strings, repeated or separated by commas. */
  private OptionSpec strings(String name, String paramLabel, String description) {
    return Specs.option(spec, OptionSpec.builder(name)
        .paramLabel(paramLabel)
        .type(List.class)
        .auxiliaryTypes(String.class)
        .splitRegex(",")
        .initialValue(List.of())
        .description(description));
  }

  @Override
  public Integer call() throws InterruptedException {
    long limit = maxEvents.getValue();
    if (limit < 0) {
      throw new ParameterException(spec.commandLine(), "--max-events must not be negative, was " + limit);
    }
    SubscribeRequest.Builder request = SubscribeRequest.newBuilder()
        .setFilter(EventFilter.newBuilder()
            .addAllKinds(kinds.<List<EventKind>>getValue())
            .addAllLineageIds(lineageIds.<List<String>>getValue())
            .addAllEntityTypes(types.<List<String>>getValue())
            .addAllOpIds(opIds.<List<String>>getValue())
            .setMinPriority(minPriority.<Integer>getValue()))
        .setIncludeEntities(includeEntities.<Boolean>getValue());
    Long sequence = fromSequence.getValue();
    if (sequence != null) {
      request.setFromSequence(sequence);
    } else if (Boolean.TRUE.equals(fromOldest.getValue())) {
      request.setFromOldest(true);
    } else {
      request.setFromNow(true);
    }
    try (Session session = cli.connect()) {
      if (!session.awaitConnected(cli.timeout())) {
        throw new CliException(ExitCodes.UNAVAILABLE, "UNAVAILABLE",
            "cannot reach " + session.target() + " (the first connection attempt failed or took over "
            + cli.timeout().toSeconds() + " s)");
      }
      Printer printer = new Printer(cli.output(), limit);
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
