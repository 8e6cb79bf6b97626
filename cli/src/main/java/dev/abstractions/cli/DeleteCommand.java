package dev.abstractions.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code delete ID --expect-version N}: writes the tombstone, compare-and-set. */
final class DeleteCommand implements Callable<Integer> {

  private final AbstractionsCli cli;

  private final CommandSpec spec = Specs.command(this, "delete",
      "Deletes an entity if --expect-version is still its latest version, and prints the tombstone (its final "
          + "version). On a conflict the exit code is 4.");

  private final PositionalParamSpec id = Specs.parameter(spec, 0, "ID", "The entity's lineage id.");

  private final OptionSpec expectedVersion = Specs.option(spec, OptionSpec.builder("--expect-version")
      .paramLabel("N")
      .type(long.class)
      .required(true)
      .description("The version the deletion is based on."));

  DeleteCommand(AbstractionsCli cli) {
    this.cli = cli;
  }

  CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws InterruptedException {
    try (Session session = cli.connect()) {
      cli.output().message(session.client().entities().delete(id.getValue(), expectedVersion.<Long>getValue()));
    }
    return ExitCodes.OK;
  }
}
