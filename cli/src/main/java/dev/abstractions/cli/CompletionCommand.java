package dev.abstractions.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code completion}: the bash/zsh completion script of every command and option (picocli's AutoComplete). */
@Command(name = "completion",
    description = {
      "Prints a bash (and zsh) completion script for abstractions: its commands, options and option values.",
      "Use it with: source <(abstractions completion), e.g. in ~/.bashrc."
    })
final class CompletionCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Mixin
  private HelpOption help;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
    out.flush();
    return ExitCodes.OK;
  }
}
