package dev.abstractions.cli;

import dev.abstractions.api.v1.TreeHistoryResponse;
import dev.abstractions.api.v1.TreeVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tree get ROOT_ID [--tree-version N]} and {@code tree history ROOT_ID}. */
@Command(name = "tree", description = "Reads entity trees: a root and the members created under it.",
    subcommands = {TreeCommand.GetTree.class, TreeCommand.History.class})
final class TreeCommand {

  @ParentCommand
  private AbstractionsCli cli;

  @Mixin
  private HelpOption help;

  @Command(name = "get",
      description = "Prints a whole tree at one tree version, the latest or the one asked for: its live members, "
          + "each under its parent (all pages).")
  static final class GetTree implements Callable<Integer> {

    @ParentCommand
    private TreeCommand tree;

    @Mixin
    private HelpOption help;

    @Mixin
    private ReadConsistency consistency;

    @Parameters(paramLabel = "ROOT_ID", description = "The lineage id of the tree's root.")
    private String rootId;

    @Option(names = "--tree-version", paramLabel = "N",
        description = "The tree version to read (default: the latest).")
    private long treeVersion;

    @Override
    public Integer call() throws InterruptedException {
      try (Session session = tree.cli.connect()) {
        tree.cli.output().tree(consistency.entities(session).getTree(rootId, treeVersion));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "history",
      description = "Prints every retained version of a tree, oldest first, with the member versions each wrote "
          + "(all pages).")
  static final class History implements Callable<Integer> {

    @ParentCommand
    private TreeCommand tree;

    @Mixin
    private HelpOption help;

    @Mixin
    private ReadConsistency consistency;

    @Parameters(paramLabel = "ROOT_ID", description = "The lineage id of the tree's root.")
    private String rootId;

    @Option(names = "--page-size", paramLabel = "N",
        description = "Tree versions per call, 1 to 1000 (default: the server's, 100).")
    private int pageSize;

    @Override
    public Integer call() throws InterruptedException {
      List<TreeVersion> versions = new ArrayList<>();
      try (Session session = tree.cli.connect()) {
        String token = "";
        do {
          TreeHistoryResponse page = consistency.entities(session).treeHistory(rootId, pageSize, token);
          versions.addAll(page.getVersionsList());
          token = page.getNextPageToken();
        } while (!token.isEmpty());
      }
      tree.cli.output().treeHistory(versions);
      return ExitCodes.OK;
    }
  }
}
