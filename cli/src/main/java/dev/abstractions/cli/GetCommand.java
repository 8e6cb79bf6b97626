package dev.abstractions.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code get ID [--version N]}: prints one version of an entity. */
final class GetCommand implements Callable<Integer> {

  private final AbstractionsCli cli;

  private final CommandSpec spec = Specs.command(this, "get",
      "Prints the latest version of an entity, or the version asked for.");

  private final PositionalParamSpec id = Specs.parameter(spec, 0, "ID", "The entity's lineage id (a UUID).");

  private final OptionSpec version = Specs.option(spec, OptionSpec.builder("--version")
      .paramLabel("N")
      .type(long.class)
      .initialValue(0L)
      .description("The version to read (default: the latest)."));

  private final ReadConsistency consistency = new ReadConsistency(spec);

  GetCommand(AbstractionsCli cli) {
    this.cli = cli;
  }

  CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws InterruptedException {
    try (Session session = cli.connect()) {
      cli.output().message(consistency.entities(session).get(id.getValue(), version.<Long>getValue()));
    }
    return ExitCodes.OK;
  }
}
