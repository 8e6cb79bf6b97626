package dev.abstractions.cli;

import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.client.OperationOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code execute ID FUNCTION [--args JSON] [--class C] [--priority P]}: a server function under an operation. */
final class ExecuteCommand implements Callable<Integer> {

  private final AbstractionsCli cli;

  private final CommandSpec spec = Specs.command(this, "execute",
      "Runs a server function on the latest version of an entity, inside the server's atomic step (it never "
          + "loses a compare-and-set), and prints the version it wrote.",
      "Functions: merge-patch (args: the patch), set {\"path\",\"value\"}, increment {\"path\",\"by\"}, "
          + "append {\"path\",\"value\"}, remove {\"path\"}, or one bound into the server.",
      "A rejected operation exits 4 (its reason is printed); a function that fails on the data, or an unknown "
          + "function, exits 5.");

  private final PositionalParamSpec id = Specs.parameter(spec, 0, "ID", "The entity's lineage id.");

  private final PositionalParamSpec function = Specs.parameter(spec, 1, "FUNCTION",
      "The server function, e.g. increment.");

  private final OptionSpec args = Specs.option(spec, OptionSpec.builder("--args")
      .paramLabel("JSON")
      .type(Converters.JsonData.class)
      .defaultValue("{}")
      .description("The function's arguments, a JSON object, e.g. '{\"path\":\"credits\",\"by\":1}'; - reads "
          + "them from standard input, @FILE from a file (default: ${DEFAULT-VALUE})."));

  private final OptionSpec priorityClass = Specs.option(spec, OptionSpec.builder("--class")
      .paramLabel("CLASS")
      .type(PriorityClass.class)
      .converters(new Converters.Priority())
      .defaultValue("NORMAL")
      .description("Priority class: STRUCTURAL, NORMAL or LOW (default: ${DEFAULT-VALUE})."));

  private final OptionSpec priority = Specs.option(spec, OptionSpec.builder("--priority")
      .paramLabel("P")
      .type(Integer.class)
      .description("An explicit priority, 1 to 10, within the class's bound (default: the class's)."));

  private final OptionSpec maxRetries = Specs.option(spec, OptionSpec.builder("--max-retries")
      .paramLabel("N")
      .type(Integer.class)
      .description("Retries (default: the class's)."));

  ExecuteCommand(AbstractionsCli cli) {
    this.cli = cli;
  }

  CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() throws InterruptedException {
    OperationOptions.Builder options = OperationOptions.builder(priorityClass.getValue());
    Integer explicitPriority = priority.getValue();
    if (explicitPriority != null) {
      options.priority(explicitPriority);
    }
    Integer retries = maxRetries.getValue();
    if (retries != null) {
      options.maxRetries(retries);
    }
    try (Session session = cli.connect()) {
      cli.output().message(session.client().operations()
          .execute(id.getValue(), function.getValue(), args.<Converters.JsonData>getValue().struct(), options.build()));
    }
    return ExitCodes.OK;
  }
}
