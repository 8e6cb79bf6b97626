package dev.abstractions.cli;

import com.google.protobuf.Struct;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code create TYPE [--id ID] --data JSON}: writes version 1 of a new entity. */
@Command(name = "create", description = "Creates an entity (its version 1) and prints it.")
final class CreateCommand implements Callable<Integer> {

  @ParentCommand
  private AbstractionsCli cli;

  @Mixin
  private HelpOption help;

  @Parameters(paramLabel = "TYPE", description = "The entity's type name, e.g. Student.")
  private String type;

  @Option(names = "--id", paramLabel = "ID", defaultValue = "",
      description = "The lineage id to use (a UUID; default: the server assigns one).")
  private String id;

  @Option(names = "--data", paramLabel = "JSON", required = true,
      description = "The attributes, a JSON object, e.g. '{\"name\":\"Ada\",\"credits\":3}'; - reads it "
          + "from standard input, @FILE from a file.")
  private Struct data;

  @Override
  public Integer call() throws InterruptedException {
    try (Session session = cli.connect()) {
      cli.output().message(session.client().entities().create(id, type, data));
    }
    return ExitCodes.OK;
  }
}
