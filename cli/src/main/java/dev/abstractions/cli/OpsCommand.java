package dev.abstractions.cli;

import dev.abstractions.api.v1.ListOperationsResponse;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code ops list TARGET [--status S...]} and {@code ops get OPID}. */
final class OpsCommand {

  private final CommandSpec spec = Specs.command(this, "ops",
      "Reads operations (prioritized, server-arbitrated writes).");

  OpsCommand(AbstractionsCli cli) {
    spec.addSubcommand("list", new ListOps(cli).spec);
    spec.addSubcommand("get", new GetOp(cli).spec);
  }

  CommandSpec spec() {
    return spec;
  }

  private static final class ListOps implements Callable<Integer> {

    private final AbstractionsCli cli;

    private final CommandSpec spec = Specs.command(this, "list",
        "Lists the operations on an entity, oldest first (all pages).");

    private final PositionalParamSpec target = Specs.parameter(spec, 0, "TARGET",
        "The lineage id of the entity the operations write.");

    private final OptionSpec statuses = Specs.option(spec, OptionSpec.builder("--status")
        .paramLabel("S")
        .type(List.class)
        .auxiliaryTypes(OperationStatus.class)
        .splitRegex(",")
        .converters(new Converters.Status())
        .initialValue(List.of())
        .description("Only operations with one of these statuses (repeat or separate with commas): PENDING, "
            + "RETRYING, SUCCEEDED, REJECTED, FAILED, CANCELLED."));

    ListOps(AbstractionsCli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() throws InterruptedException {
      List<OperationStatus> wanted = statuses.getValue();
      List<OperationEntity> operations = new ArrayList<>();
      try (Session session = cli.connect()) {
        String token = "";
        do {
          ListOperationsResponse page = session.client().operations()
              .listOperations(target.getValue(), wanted, 0, token);
          operations.addAll(page.getOperationsList());
          token = page.getNextPageToken();
        } while (!token.isEmpty());
      }
      cli.output().operations(operations);
      return ExitCodes.OK;
    }
  }

  private static final class GetOp implements Callable<Integer> {

    private final AbstractionsCli cli;

    private final CommandSpec spec = Specs.command(this, "get",
        "Prints an operation (live, or ended within the server's retention).");

    private final PositionalParamSpec opId = Specs.parameter(spec, 0, "OPID", "The operation's id.");

    GetOp(AbstractionsCli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() throws InterruptedException {
      try (Session session = cli.connect()) {
        cli.output().message(session.client().operations().getOperation(opId.getValue()));
      }
      return ExitCodes.OK;
    }
  }
}
