package dev.abstractions.cli;

import picocli.CommandLine.Option;

/** {@code -h, --help} for a subcommand (the root also has {@code --version}, which {@code get} needs for itself). */
final class HelpOption {

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;
}
