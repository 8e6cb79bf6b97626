package dev.abstractions.cli;

import com.google.protobuf.Struct;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.client.OperationOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code execute ID FUNCTION [--args JSON] [--class C] [--priority P]}: a server function under an operation. */
@Command(name = "execute",
    description = {
      "Runs a server function on the latest version of an entity, inside the server's atomic step "
          + "(it never loses a compare-and-set), and prints the version it wrote.",
      "Functions: merge-patch (args: the patch), set {\"path\",\"value\"}, increment {\"path\",\"by\"}, "
          + "append {\"path\",\"value\"}, remove {\"path\"}, or one bound into the server.",
      "A rejected operation exits 4 (its reason is printed); a function that fails on the data, or an "
          + "unknown function, exits 5."
    })
final class ExecuteCommand implements Callable<Integer> {

  @ParentCommand
  private AbstractionsCli cli;

  @Mixin
  private HelpOption help;

  @Parameters(index = "0", paramLabel = "ID", description = "The entity's lineage id.")
  private String id;

  @Parameters(index = "1", paramLabel = "FUNCTION", description = "The server function, e.g. increment.")
  private String function;

  @Option(names = "--args", paramLabel = "JSON", defaultValue = "{}",
      description = "The function's arguments, a JSON object, e.g. '{\"path\":\"credits\",\"by\":1}'; - reads "
          + "them from standard input, @FILE from a file (default: ${DEFAULT-VALUE}).")
  private Struct args;

  @Option(names = "--class", paramLabel = "CLASS", defaultValue = "NORMAL", converter = Converters.Priority.class,
      description = "Priority class: STRUCTURAL, NORMAL or LOW (default: ${DEFAULT-VALUE}).")
  private PriorityClass priorityClass;

  @Option(names = "--priority", paramLabel = "P",
      description = "An explicit priority, 1 to 10, within the class's bound (default: the class's).")
  private Integer priority;

  @Option(names = "--max-retries", paramLabel = "N", description = "Retries (default: the class's).")
  private Integer maxRetries;

  @Override
  public Integer call() throws InterruptedException {
    OperationOptions.Builder options = OperationOptions.builder(priorityClass);
    if (priority != null) {
      options.priority(priority);
    }
    if (maxRetries != null) {
      options.maxRetries(maxRetries);
    }
    try (Session session = cli.connect()) {
      cli.output().message(session.client().operations().execute(id, function, args, options.build()));
    }
    return ExitCodes.OK;
  }
}
