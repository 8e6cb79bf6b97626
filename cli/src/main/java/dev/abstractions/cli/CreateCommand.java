package dev.abstractions.cli;

import com.google.protobuf.Struct;
import dev.abstractions.client.EntityClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code create TYPE [--id ID] [--parent ID] --data JSON}: writes version 1 of a new entity. */
@Command(name = "create",
    description = "Creates an entity (its version 1) and prints it: the root of a new tree, or with --parent a "
        + "member of the parent's tree.")
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

  @Option(names = "--parent", paramLabel = "ID", defaultValue = "",
      description = "Create it as a member of the tree this entity belongs to, under it (default: a new root).")
  private String parent;

  @Option(names = "--data", paramLabel = "JSON", required = true,
      description = "The attributes, a JSON object, e.g. '{\"name\":\"Ada\",\"credits\":3}'; - reads it "
          + "from standard input, @FILE from a file.")
  private Struct data;

  @Override
  public Integer call() throws InterruptedException {
    try (Session session = cli.connect()) {
      EntityClient entities = session.client().entities();
      cli.output().message(parent.isEmpty()
          ? entities.create(id, type, data)
          : entities.createMember(parent, id, type, data));
    }
    return ExitCodes.OK;
  }
}
