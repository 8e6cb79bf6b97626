package dev.abstractions.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Helpers with which each command declares its picocli model in code. picocli could read the
 * model from annotations, but on a short command that is the costliest thing it does: the JVM
 * generates a proxy class for each annotation type the first time one is read, which the
 * class-data archive cannot hold; with picocli's reflection, about 50 ms of a 0.45 s {@code get}
 * (docs/cli.md, "Start-up time"). A command holds the {@link OptionSpec}s it declares and reads
 * their values from them once picocli has parsed the command line.
 */
final class Specs {

  private Specs() {}

  /** The model of a subcommand running {@code command}, with {@code -h, --help}. */
  static CommandSpec command(Object command, String name, String... description) {
    CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name(name);
    spec.usageMessage().description(description);
    option(spec, help());
    return spec;
  }

  /** {@code -h, --help}, which every command has. */
  static OptionSpec.Builder help() {
    return OptionSpec.builder("-h", "--help")
        .usageHelp(true)
        .description("Show this help message and exit.");
  }

  /** Adds {@code option} to {@code spec} and returns it, for the command to read its value from. */
  static OptionSpec option(CommandSpec spec, OptionSpec.Builder option) {
    OptionSpec built = option.build();
    spec.addOption(built);
    return built;
  }

  /** Adds {@code --page-size N} for a command that reads all pages of {@code items} and returns it. */
  static OptionSpec pageSize(CommandSpec spec, String items) {
    return option(spec, OptionSpec.builder("--page-size")
        .paramLabel("N")
        .type(int.class)
        .initialValue(0)
        .description(items + " per call, 1 to 1000 (default: the server's, 100)."));
  }

  /** Adds a required string parameter at {@code index} to {@code spec} and returns it. */
  static PositionalParamSpec parameter(CommandSpec spec, int index, String label, String description) {
    PositionalParamSpec parameter = PositionalParamSpec.builder()
        .index(Integer.toString(index))
        .required(true)
        .paramLabel(label)
        .type(String.class)
        .description(description)
        .build();
    spec.addPositional(parameter);
    return parameter;
  }
}
