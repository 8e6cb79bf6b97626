package dev.abstractions.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code delete ID --expect-version N}: writes the tombstone, compare-and-set. */
@Command(name = "delete",
    description = "Deletes an entity if --expect-version is still its latest version, and prints the "
        + "tombstone (its final version). On a conflict the exit code is 4.")
final class DeleteCommand implements Callable<Integer> {

  @ParentCommand
  private AbstractionsCli cli;

  @Mixin
  private HelpOption help;

  @Parameters(paramLabel = "ID", description = "The entity's lineage id.")
  private String id;

  @Option(names = "--expect-version", paramLabel = "N", required = true,
      description = "The version the deletion is based on.")
  private long expectedVersion;

  @Override
  public Integer call() throws InterruptedException {
    try (Session session = cli.connect()) {
      cli.output().message(session.client().entities().delete(id, expectedVersion));
    }
    return ExitCodes.OK;
  }
}
