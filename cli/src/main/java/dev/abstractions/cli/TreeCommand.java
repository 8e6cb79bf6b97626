package dev.abstractions.cli;

import dev.abstractions.api.v1.AttachTreeResponse;
import dev.abstractions.api.v1.PromoteTreeMemberResponse;
import dev.abstractions.api.v1.TreeHistoryResponse;
import dev.abstractions.api.v1.TreeVersion;
import dev.abstractions.client.EntityClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tree get}, {@code tree history}, {@code tree write}, {@code tree promote} and {@code tree
 * attach}: an entity tree read whole, its versions, several of its members changed at once, a
 * subtree made a tree of its own, and a tree put under another's member.
 */
@Command(name = "tree",
    description = "Reads and changes entity trees: a root and the members created under it.",
    subcommands = {TreeCommand.GetTree.class, TreeCommand.History.class, TreeCommand.Write.class,
        TreeCommand.Promote.class, TreeCommand.Attach.class})
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

  @Command(name = "write",
      description = {
        "Changes several members of a tree at once, all or nothing, if --tree-version is still the tree's "
            + "version (compare-and-set), and prints the new tree version and the versions written.",
        "On a conflict nothing is written: the tree's current version is printed (current_tree_version) "
            + "and the exit code is 4."
      })
  static final class Write implements Callable<Integer> {

    @ParentCommand
    private TreeCommand tree;

    @Mixin
    private HelpOption help;

    @Parameters(paramLabel = "ROOT_ID", description = "The lineage id of the tree's root.")
    private String rootId;

    @Option(names = "--tree-version", paramLabel = "N", required = true,
        description = "The tree version the changes are based on.")
    private long treeVersion;

    @Option(names = "--data", paramLabel = "JSON", required = true,
        description = "The changes, applied in order: {\"changes\":[...]}, each {\"create\":{\"parentLineageId\":"
            + "ID,\"entityType\":T,\"data\":{...}}} (\"lineageId\" optional), {\"update\":{\"lineageId\":ID,"
            + "\"data\":{...}}} or {\"delete\":{\"lineageId\":ID}}; - reads them from standard input, @FILE "
            + "from a file.")
    private Converters.TreeChanges changes;

    @Override
    public Integer call() throws InterruptedException {
      try (Session session = tree.cli.connect()) {
        tree.cli.output().treeWrite(
            session.client().entities().writeTree(rootId, treeVersion, changes.changes()));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "promote",
      description = {
        "Makes a member, with every live member under it, a tree of its own, if --tree-version is still "
            + "its tree's version; both trees are then at that version + 1. Prints the tree it left, the "
            + "tree version, and the versions written: the member it was under, the new root, the members "
            + "that moved with it.",
        "A stale --tree-version exits 4 (current_tree_version is printed); a root exits 5 (ALREADY_A_ROOT)."
      })
  static final class Promote implements Callable<Integer> {

    @ParentCommand
    private TreeCommand tree;

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Parameters(paramLabel = "LINEAGE", description = "The member to make a root.")
    private String lineageId;

    @Option(names = "--tree-version", paramLabel = "N", required = true,
        description = "The version of the member's tree, as read.")
    private long treeVersion;

    @Option(names = "--priority", paramLabel = "P",
        description = "The priority it is arbitrated at, 1 to 10 (default: 10, the STRUCTURAL class's).")
    private Integer priority;

    @Override
    public Integer call() throws InterruptedException {
      checkPriority(spec, priority);
      try (Session session = tree.cli.connect()) {
        EntityClient entities = session.client().entities();
        PromoteTreeMemberResponse promoted = priority == null
            ? entities.promoteTreeMember(lineageId, treeVersion)
            : entities.promoteTreeMember(lineageId, treeVersion, priority);
        tree.cli.output().treeWrite(promoted);
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "attach",
      description = {
        "Puts a root, with every live member of its tree, under --parent (a member, or the root, of "
            + "another tree), if both trees are still at the versions given; both are then at one more "
            + "than the larger of the two. Prints the root of the tree it joined, the tree version, and the "
            + "versions written: the parent, the attached root, the members that moved with it.",
        "A stale version exits 4 (the tree that moved on and its current_tree_version are printed); "
            + "a member instead of a root (NOT_A_ROOT) or a parent in the root's own tree (TREE_CYCLE) "
            + "exits 5."
      })
  static final class Attach implements Callable<Integer> {

    @ParentCommand
    private TreeCommand tree;

    @Spec
    private CommandSpec spec;

    @Mixin
    private HelpOption help;

    @Parameters(paramLabel = "LINEAGE", description = "The root to attach, with its tree.")
    private String lineageId;

    @Option(names = "--tree-version", paramLabel = "N", required = true,
        description = "The version of its tree, as read.")
    private long treeVersion;

    @Option(names = "--parent", paramLabel = "ID", required = true,
        description = "The member (or root) of another tree to attach it under.")
    private String parentId;

    @Option(names = "--parent-tree-version", paramLabel = "M", required = true,
        description = "The version of the parent's tree, as read.")
    private long parentTreeVersion;

    @Option(names = "--priority", paramLabel = "P",
        description = "The priority it is arbitrated at on both trees, 1 to 10 (default: 10, the STRUCTURAL "
            + "class's).")
    private Integer priority;

    @Override
    public Integer call() throws InterruptedException {
      checkPriority(spec, priority);
      try (Session session = tree.cli.connect()) {
        EntityClient entities = session.client().entities();
        AttachTreeResponse attached = priority == null
            ? entities.attachTree(lineageId, treeVersion, parentId, parentTreeVersion)
            : entities.attachTree(lineageId, treeVersion, parentId, parentTreeVersion, priority);
        tree.cli.output().treeWrite(attached);
      }
      return ExitCodes.OK;
    }
  }

  /** A usage error (exit 2, nothing sent) for a --priority outside 1 to 10. */
  private static void checkPriority(CommandSpec spec, Integer priority) {
    if (priority != null && (priority < 1 || priority > 10)) {
      throw new ParameterException(spec.commandLine(), "--priority must be 1 to 10, was " + priority);
    }
  }
}
