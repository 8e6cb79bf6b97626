package dev.abstractions.cli;

import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.ListEntitiesResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code list TYPE [--page-size N]}: the live entities of a type, reading all pages. */
@Command(name = "list",
    description = "Prints the latest version of every live (not deleted) entity of a type, ordered by "
        + "lineage id (all pages).")
final class ListCommand implements Callable<Integer> {

  @ParentCommand
  private AbstractionsCli cli;

  @Mixin
  private HelpOption help;

  @Mixin
  private ReadConsistency consistency;

  @Parameters(paramLabel = "TYPE", description = "The entity type, e.g. Student.")
  private String type;

  @Option(names = "--page-size", paramLabel = "N",
      description = "Entities per call, 1 to 1000 (default: the server's, 100).")
  private int pageSize;

  @Override
  public Integer call() throws InterruptedException {
    List<Entity> entities = new ArrayList<>();
    try (Session session = cli.connect()) {
      String token = "";
      do {
        ListEntitiesResponse page = consistency.entities(session).list(type, pageSize, token);
        entities.addAll(page.getEntitiesList());
        token = page.getNextPageToken();
      } while (!token.isEmpty());
    }
    cli.output().entities(entities);
    return ExitCodes.OK;
  }
}
