package dev.abstractions.cli;

import com.google.protobuf.Struct;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code update ID --expect-version N --data JSON}: one plain compare-and-set. */
@Command(name = "update",
    description = {
      "Replaces an entity's data if --expect-version is still its latest version (compare-and-set) "
          + "and prints the new version.",
      "On a conflict nothing is written: the current version is printed (current_version) and the "
          + "exit code is 4."
    })
final class UpdateCommand implements Callable<Integer> {

  @ParentCommand
  private AbstractionsCli cli;

  @Mixin
  private HelpOption help;

  @Parameters(paramLabel = "ID", description = "The entity's lineage id.")
  private String id;

  @Option(names = "--expect-version", paramLabel = "N", required = true,
      description = "The version the new data is based on.")
  private long expectedVersion;

  @Option(names = "--data", paramLabel = "JSON", required = true,
      description = "The new attributes, a JSON object; they replace the old ones whole. - reads it from "
          + "standard input, @FILE from a file.")
  private Struct data;

  @Override
  public Integer call() throws InterruptedException {
    try (Session session = cli.connect()) {
      cli.output().message(session.client().entities().update(id, expectedVersion, data));
    }
    return ExitCodes.OK;
  }
}
