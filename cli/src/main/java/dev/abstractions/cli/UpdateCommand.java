package dev.abstractions.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code update ID --expect-version N --data JSON}: one plain compare-and-set. */
final class UpdateCommand implements Callable<Integer> {

  private final AbstractionsCli cli;

  private final CommandSpec spec = Specs.command(this, "update",
      "Replaces an entity's data if --expect-version is still its latest version (compare-and-set) and prints "
          + "the new version.",
      "On a conflict nothing is written: the current version is printed (current_version) and the exit code is "
          + "4.");

  private final PositionalParamSpec id = Specs.parameter(spec, 0, "ID", "The entity's lineage id.");

  private final OptionSpec expectedVersion = Specs.option(spec, OptionSpec.builder("--expect-version")
      .paramLabel("N")
      .type(long.class)
      .required(true)
      .description("The version the new data is based on."));

  private final OptionSpec data = Specs.option(spec, OptionSpec.builder("--data")
      .paramLabel("JSON")
      .type(Converters.JsonData.class)
      .required(true)
      .description("The new attributes, a JSON object; they replace the old ones whole. - reads it from "
          + "standard input, @FILE from a file."));

  UpdateCommand(AbstractionsCli cli) {
    this.cli = cli;
  }

  CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws InterruptedException {
    try (Session session = cli.connect()) {
      cli.output().message(session.client().entities()
          .update(id.getValue(), expectedVersion.<Long>getValue(), data.<Converters.JsonData>getValue().struct()));
    }
    return ExitCodes.OK;
  }
}
