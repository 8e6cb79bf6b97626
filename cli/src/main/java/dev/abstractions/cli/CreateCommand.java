package dev.abstractions.cli;

import com.google.protobuf.Struct;
import dev.abstractions.client.EntityClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code create TYPE [--id ID] [--parent ID] --data JSON}: writes version 1 of a new entity. */
final class CreateCommand implements Callable<Integer> {

  private final AbstractionsCli cli;

  private final CommandSpec spec = Specs.command(this, "create",
      "Creates an entity (its version 1) and prints it: the root of a new tree, or with --parent a member of the "
          + "parent's tree.");

  private final PositionalParamSpec type = Specs.parameter(spec, 0, "TYPE",
      "The entity's type name, e.g. Student.");

  private final OptionSpec id = Specs.option(spec, OptionSpec.builder("--id")
      .paramLabel("ID")
      .type(String.class)
      .defaultValue("")
      .description("The lineage id to use (a UUID; default: the server assigns one)."));

  private final OptionSpec parent = Specs.option(spec, OptionSpec.builder("--parent")
      .paramLabel("ID")
      .type(String.class)
      .defaultValue("")
      .description("Create it as a member of the tree this entity belongs to, under it (default: a new root)."));

  private final OptionSpec data = Specs.option(spec, OptionSpec.builder("--data")
      .paramLabel("JSON")
      .type(Converters.JsonData.class)
      .required(true)
      .description("The attributes, a JSON object, e.g. '{\"name\":\"Ada\",\"credits\":3}'; - reads it from "
          + "standard input, @FILE from a file."));

  CreateCommand(AbstractionsCli cli) {
    this.cli = cli;
  }

  CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws InterruptedException {
    String parentId = parent.getValue();
    Struct attributes = data.<Converters.JsonData>getValue().struct();
    try (Session session = cli.connect()) {
      EntityClient entities = session.client().entities();
      cli.output().message(parentId.isEmpty()
          ? entities.create(id.getValue(), type.getValue(), attributes)
          : entities.createMember(parentId, id.getValue(), type.getValue(), attributes));
    }
    return ExitCodes.OK;
  }
}
