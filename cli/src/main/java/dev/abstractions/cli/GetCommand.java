package dev.abstractions.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code get ID [--version N]}: prints one version of an entity. */
@Command(name = "get", description = "Prints the latest version of an entity, or the version asked for.")
final class GetCommand implements Callable<Integer> {

  @ParentCommand
  private AbstractionsCli cli;

  @Mixin
  private HelpOption help;

  @Parameters(paramLabel = "ID", description = "The entity's lineage id (a UUID).")
  private String id;

  @Option(names = "--version", paramLabel = "N", description = "The version to read (default: the latest).")
  private long version;

  @Mixin
  private ReadConsistency consistency;

  @Override
  public Integer call() throws InterruptedException {
    try (Session session = cli.connect()) {
      cli.output().message(consistency.entities(session).get(id, version));
    }
    return ExitCodes.OK;
  }
}
