package dev.abstractions.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Model.CommandSpec;

/** {@code completion}: the bash/zsh completion script of every command and option (picocli's AutoComplete). */
final class CompletionCommand implements Callable<Integer> {

  private final CommandSpec spec = Specs.command(this, "completion",
      "Prints a bash (and zsh) completion script for abstractions: its commands, options and option values.",
      "Use it with: source <(abstractions completion), e.g. in ~/.bashrc.");

  CommandSpec spec() {
    return spec;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
    out.flush();
    return ExitCodes.OK;
  }
}
