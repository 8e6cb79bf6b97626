package dev.abstractions.cli;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code demo}: contending writers at mixed priorities, arbitrated live by the server (see {@link Demo}). */
@Command(name = "demo",
    description = {
      "Shows the server's arbitration live: writers of mixed priority classes increment shared counters "
          + "(DemoCounter entities it creates) with read-modify-write operations for --seconds.",
      "Prints a line per second with what each class committed, the conflicts it met and the "
          + "operations shed at Begin (LOW, when the counter stayed busy for its whole wait); then per class the success rate and the retries the server charged "
          + "(mean/max); then checks each counter equals the increments committed to it: OK, or "
          + "MISMATCH and exit code 1.",
      "Classes: LOW (priority 2), NORMAL (5), P8 (NORMAL class at priority 8), STRUCTURAL (10)."
    })
final class DemoCommand implements Callable<Integer> {

  @ParentCommand
  private AbstractionsCli cli;

  @Spec
  private CommandSpec spec;

  @Mixin
  private HelpOption help;

  @Option(names = "--targets", paramLabel = "N", defaultValue = "2",
      description = "Counters to contend on (default: ${DEFAULT-VALUE}).")
  private int targets;

  @Option(names = "--writers", paramLabel = "N", defaultValue = "12",
      description = "Concurrent writers (default: ${DEFAULT-VALUE}).")
  private int writers;

  @Option(names = "--seconds", paramLabel = "N", defaultValue = "5",
      description = "How long writers start new operations (default: ${DEFAULT-VALUE}).")
  private int seconds;

  @Option(names = "--mix", paramLabel = "CLASS=WEIGHT", split = ",",
      description = "How writers are split between classes, by weight (default: "
          + "LOW=3,NORMAL=3,P8=3,STRUCTURAL=1, i.e. 60%% LOW/NORMAL, 30%% priority 8, 10%% STRUCTURAL).")
  private Map<WriterClass, Integer> mix;

  @Override
  public Integer call() throws InterruptedException {
    Map<WriterClass, Integer> weights = mix != null ? mix : defaultMix();
    require(targets >= 1, "--targets must be at least 1, was " + targets);
    require(writers >= 1, "--writers must be at least 1, was " + writers);
    require(seconds >= 1, "--seconds must be at least 1, was " + seconds);
    require(weights.values().stream().allMatch(weight -> weight >= 0), "--mix weights must not be negative");
    require(weights.values().stream().mapToInt(Integer::intValue).sum() > 0, "--mix needs a positive weight");
    try (Session session = cli.connect()) {
      return new Demo(session.client(), cli.output(), new Demo.Settings(targets, writers, seconds, weights)).run();
    }
  }

  private static Map<WriterClass, Integer> defaultMix() {
    Map<WriterClass, Integer> mix = new EnumMap<>(WriterClass.class);
    mix.put(WriterClass.LOW, 3);
    mix.put(WriterClass.NORMAL, 3);
    mix.put(WriterClass.P8, 3);
    mix.put(WriterClass.STRUCTURAL, 1);
    return mix;
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }
}
