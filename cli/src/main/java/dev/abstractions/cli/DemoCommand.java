package dev.abstractions.cli;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/** {@code demo}: contending writers at mixed priorities, arbitrated live by the server (see {@link Demo}). */
final class DemoCommand implements Callable<Integer> {

  private final AbstractionsCli cli;

  private final CommandSpec spec = Specs.command(this, "demo",
      "Shows the server's arbitration live: writers of mixed priority classes increment shared counters "
          + "(DemoCounter entities it creates) with read-modify-write operations for --seconds.",
      "Prints a line per second with what each class committed, the conflicts it met and the operations shed at "
          + "Begin (LOW, when the counter stayed busy for its whole wait); then per class the success rate and the "
          + "retries the server charged (mean/max); then checks each counter equals the increments committed to "
          + "it: OK, or MISMATCH and exit code 1.",
      "Classes: LOW (priority 2), NORMAL (5), P8 (NORMAL class at priority 8), STRUCTURAL (10).");

  private final OptionSpec targets = count("--targets", "2", "Counters to contend on");

  private final OptionSpec writers = count("--writers", "12", "Concurrent writers");

  private final OptionSpec seconds = count("--seconds", "5", "How long writers start new operations");

  private final OptionSpec mix = Specs.option(spec, OptionSpec.builder("--mix")
      .paramLabel("CLASS=WEIGHT")
      .type(Map.class)
      .auxiliaryTypes(WriterClass.class, Integer.class)
      .splitRegex(",")
      .description("How writers are split between classes, by weight (default: LOW=3,NORMAL=3,P8=3,STRUCTURAL=1, "
          + "i.e. 60%% LOW/NORMAL, 30%% priority 8, 10%% STRUCTURAL)."));

  DemoCommand(AbstractionsCli cli) {
    this.cli = cli;
  }

  CommandSpec spec() {
    return spec;
  }

  /** Adds a whole-number option {@code N} with a default. */
  private OptionSpec count(String name, String defaultValue, String description) {
    return Specs.option(spec, OptionSpec.builder(name)
        .paramLabel("N")
        .type(int.class)
        .defaultValue(defaultValue)
        .description(description + " (default: ${DEFAULT-VALUE})."));
  }

  @Override
  public Integer call() throws InterruptedException {
    Map<WriterClass, Integer> given = mix.getValue();
    Map<WriterClass, Integer> weights = given != null ? given : defaultMix();
    int counters = targets.getValue();
    int writerCount = writers.getValue();
    int duration = seconds.getValue();
    require(counters >= 1, "--targets must be at least 1, was " + counters);
    require(writerCount >= 1, "--writers must be at least 1, was " + writerCount);
    require(duration >= 1, "--seconds must be at least 1, was " + duration);
    require(weights.values().stream().allMatch(weight -> weight >= 0), "--mix weights must not be negative");
    require(weights.values().stream().mapToInt(Integer::intValue).sum() > 0, "--mix needs a positive weight");
    try (Session session = cli.connect()) {
      return new Demo(session.client(), cli.output(), new Demo.Settings(counters, writerCount, duration, weights)).run();
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
