package dev.abstractions.cli;

import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityHistoryResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code history ID [--page-size N]}: every retained version, reading all pages. */
final class HistoryCommand implements Callable<Integer> {

  private final AbstractionsCli cli;

  private final CommandSpec spec = Specs.command(this, "history",
      "Prints every retained version of an entity, oldest first (all pages).");

  private final ReadConsistency consistency = new ReadConsistency(spec);

  private final PositionalParamSpec id = Specs.parameter(spec, 0, "ID", "The entity's lineage id.");

  private final OptionSpec pageSize = Specs.pageSize(spec, "Versions");

  HistoryCommand(AbstractionsCli cli) {
    this.cli = cli;
  }

  CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws InterruptedException {
    List<Entity> versions = new ArrayList<>();
    try (Session session = cli.connect()) {
      String token = "";
      do {
        EntityHistoryResponse page = consistency.entities(session)
            .history(id.getValue(), pageSize.<Integer>getValue(), token);
        versions.addAll(page.getVersionsList());
        token = page.getNextPageToken();
      } while (!token.isEmpty());
    }
    cli.output().history(versions);
    return ExitCodes.OK;
  }
}
