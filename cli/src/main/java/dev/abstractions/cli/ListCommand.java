package dev.abstractions.cli;

import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.ListEntitiesResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code list TYPE [--page-size N]}: the live entities of a type, reading all pages. */
final class ListCommand implements Callable<Integer> {

  private final AbstractionsCli cli;

  private final CommandSpec spec = Specs.command(this, "list",
      "Prints the latest version of every live (not deleted) entity of a type, ordered by lineage id (all "
          + "pages).");

  private final ReadConsistency consistency = new ReadConsistency(spec);

  private final PositionalParamSpec type = Specs.parameter(spec, 0, "TYPE", "The entity type, e.g. Student.");

  private final OptionSpec pageSize = Specs.pageSize(spec, "Entities");

  ListCommand(AbstractionsCli cli) {
    this.cli = cli;
  }

  CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws InterruptedException {
    List<Entity> entities = new ArrayList<>();
    try (Session session = cli.connect()) {
      String token = "";
      do {
        ListEntitiesResponse page = consistency.entities(session)
            .list(type.getValue(), pageSize.<Integer>getValue(), token);
        entities.addAll(page.getEntitiesList());
        token = page.getNextPageToken();
      } while (!token.isEmpty());
    }
    cli.output().entities(entities);
    return ExitCodes.OK;
  }
}
