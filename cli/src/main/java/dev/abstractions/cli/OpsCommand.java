package dev.abstractions.cli;

import dev.abstractions.api.v1.ListOperationsResponse;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code ops list TARGET [--status S...]} and {@code ops get OPID}. */
@Command(name = "ops", description = "Reads operations (prioritized, server-arbitrated writes).",
    subcommands = {OpsCommand.ListOps.class, OpsCommand.GetOp.class})
final class OpsCommand {

  @ParentCommand
  private AbstractionsCli cli;

  @Mixin
  private HelpOption help;

  @Command(name = "list", description = "Lists the operations on an entity, oldest first (all pages).")
  static final class ListOps implements Callable<Integer> {

    @ParentCommand
    private OpsCommand ops;

    @Mixin
    private HelpOption help;

    @Parameters(paramLabel = "TARGET", description = "The lineage id of the entity the operations write.")
    private String target;

    @Option(names = "--status", paramLabel = "S", split = ",", converter = Converters.Status.class,
        description = "Only operations with one of these statuses (repeat or separate with commas): "
            + "PENDING, RETRYING, SUCCEEDED, REJECTED, FAILED, CANCELLED.")
    private List<OperationStatus> statuses = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
      List<OperationEntity> operations = new ArrayList<>();
      try (Session session = ops.cli.connect()) {
        String token = "";
        do {
          ListOperationsResponse page = session.client().operations().listOperations(target, statuses, 0, token);
          operations.addAll(page.getOperationsList());
          token = page.getNextPageToken();
        } while (!token.isEmpty());
      }
      ops.cli.output().operations(operations);
      return ExitCodes.OK;
    }
  }

  @Command(name = "get", description = "Prints an operation (live, or ended within the server's retention).")
  static final class GetOp implements Callable<Integer> {

    @ParentCommand
    private OpsCommand ops;

    @Mixin
    private HelpOption help;

    @Parameters(paramLabel = "OPID", description = "The operation's id.")
    private String opId;

    @Override
    public Integer call() throws InterruptedException {
      try (Session session = ops.cli.connect()) {
        ops.cli.output().message(session.client().operations().getOperation(opId));
      }
      return ExitCodes.OK;
    }
  }
}
