package dev.abstractions.cli;

import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityHistoryResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code history ID [--page-size N]}: every retained version, reading all pages. */
@Command(name = "history",
    description = "Prints every retained version of an entity, oldest first (all pages).")
final class HistoryCommand implements Callable<Integer> {

  @ParentCommand
  private AbstractionsCli cli;

  @Mixin
  private HelpOption help;

  @Mixin
  private ReadConsistency consistency;

  @Parameters(paramLabel = "ID", description = "The entity's lineage id.")
  private String id;

  @Option(names = "--page-size", paramLabel = "N",
      description = "Versions per call, 1 to 1000 (default: the server's, 100).")
  private int pageSize;

  @Override
  public Integer call() throws InterruptedException {
    List<Entity> versions = new ArrayList<>();
    try (Session session = cli.connect()) {
      String token = "";
      do {
        EntityHistoryResponse page = consistency.entities(session).history(id, pageSize, token);
        versions.addAll(page.getVersionsList());
        token = page.getNextPageToken();
      } while (!token.isEmpty());
    }
    cli.output().history(versions);
    return ExitCodes.OK;
  }
}
