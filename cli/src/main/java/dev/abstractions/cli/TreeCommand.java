package dev.abstractions.cli;

import dev.abstractions.api.v1.AttachTreeResponse;
import dev.abstractions.api.v1.PromoteTreeMemberResponse;
import dev.abstractions.api.v1.TreeHistoryResponse;
import dev.abstractions.api.v1.TreeVersion;
import dev.abstractions.client.EntityClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code tree get}, {@code tree history}, {@code tree write}, {@code tree promote} and {@code tree
 * attach}: an entity tree read whole, its versions, several of its members changed at once, a
 * subtree made a tree of its own, and a tree put under another's member.
 */
final class TreeCommand {

  private final CommandSpec spec = Specs.command(this, "tree",
      "Reads and changes entity trees: a root and the members created under it.");

  TreeCommand(AbstractionsCli cli) {
    spec.addSubcommand("get", new GetTree(cli).spec);
    spec.addSubcommand("history", new History(cli).spec);
    spec.addSubcommand("write", new Write(cli).spec);
    spec.addSubcommand("promote", new Promote(cli).spec);
    spec.addSubcommand("attach", new Attach(cli).spec);
  }

  CommandSpec spec() {
    return spec;
  }

  private static final class GetTree implements Callable<Integer> {

    private final AbstractionsCli cli;

    private final CommandSpec spec = Specs.command(this, "get",
        "Prints a whole tree at one tree version, the latest or the one asked for: its live members, each under "
            + "its parent (all pages).");

    private final ReadConsistency consistency = new ReadConsistency(spec);

    private final PositionalParamSpec rootId = Specs.parameter(spec, 0, "ROOT_ID",
        "The lineage id of the tree's root.");

    private final OptionSpec treeVersion = Specs.option(spec, OptionSpec.builder("--tree-version")
        .paramLabel("N")
        .type(long.class)
        .initialValue(0L)
        .description("The tree version to read (default: the latest)."));

    GetTree(AbstractionsCli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() throws InterruptedException {
      try (Session session = cli.connect()) {
        cli.output().tree(consistency.entities(session).getTree(rootId.getValue(), treeVersion.<Long>getValue()));
      }
      return ExitCodes.OK;
    }
  }

  private static final class History implements Callable<Integer> {

    private final AbstractionsCli cli;

    private final CommandSpec spec = Specs.command(this, "history",
        "Prints every retained version of a tree, oldest first, with the member versions each wrote (all "
            + "pages).");

    private final ReadConsistency consistency = new ReadConsistency(spec);

    private final PositionalParamSpec rootId = Specs.parameter(spec, 0, "ROOT_ID",
        "The lineage id of the tree's root.");

    private final OptionSpec pageSize = Specs.pageSize(spec, "Tree versions");

    History(AbstractionsCli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() throws InterruptedException {
      List<TreeVersion> versions = new ArrayList<>();
      try (Session session = cli.connect()) {
        String token = "";
        do {
          TreeHistoryResponse page = consistency.entities(session)
              .treeHistory(rootId.getValue(), pageSize.<Integer>getValue(), token);
          versions.addAll(page.getVersionsList());
          token = page.getNextPageToken();
        } while (!token.isEmpty());
      }
      cli.output().treeHistory(versions);
      return ExitCodes.OK;
    }
  }

  private static final class Write implements Callable<Integer> {

    private final AbstractionsCli cli;

    private final CommandSpec spec = Specs.command(this, "write",
        "Changes several members of a tree at once, all or nothing, if --tree-version is still the tree's "
            + "version (compare-and-set), and prints the new tree version and the versions written.",
        "On a conflict nothing is written: the tree's current version is printed (current_tree_version) and the "
            + "exit code is 4.");

    private final PositionalParamSpec rootId = Specs.parameter(spec, 0, "ROOT_ID",
        "The lineage id of the tree's root.");

    private final OptionSpec treeVersion = Specs.option(spec, OptionSpec.builder("--tree-version")
        .paramLabel("N")
        .type(long.class)
        .required(true)
        .description("The tree version the changes are based on."));

    private final OptionSpec changes = Specs.option(spec, OptionSpec.builder("--data")
        .paramLabel("JSON")
        .type(Converters.TreeChanges.class)
        .required(true)
        .description("The changes, applied in order: {\"changes\":[...]}, each {\"create\":{\"parentLineageId\":"
            + "ID,\"entityType\":T,\"data\":{...}}} (\"lineageId\" optional), {\"update\":{\"lineageId\":ID,"
            + "\"data\":{...}}} or {\"delete\":{\"lineageId\":ID}}; - reads them from standard input, @FILE "
            + "from a file."));

    Write(AbstractionsCli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() throws InterruptedException {
      Converters.TreeChanges written = changes.getValue();
      try (Session session = cli.connect()) {
        cli.output().treeWrite(session.client().entities()
            .writeTree(rootId.getValue(), treeVersion.<Long>getValue(), written.changes()));
      }
      return ExitCodes.OK;
    }
  }

  private static final class Promote implements Callable<Integer> {

    private final AbstractionsCli cli;

    private final CommandSpec spec = Specs.command(this, "promote",
        "Makes a member, with every live member under it, a tree of its own, if --tree-version is still its "
            + "tree's version; both trees are then at that version + 1. Prints the tree it left, the tree version, "
            + "and the versions written: the member it was under, the new root, the members that moved with it.",
        "A stale --tree-version exits 4 (current_tree_version is printed); a root exits 5 (ALREADY_A_ROOT).");

    private final PositionalParamSpec lineageId = Specs.parameter(spec, 0, "LINEAGE", "The member to make a root.");

    private final OptionSpec treeVersion = Specs.option(spec, OptionSpec.builder("--tree-version")
        .paramLabel("N")
        .type(long.class)
        .required(true)
        .description("The version of the member's tree, as read."));

    private final OptionSpec priority = Specs.option(spec, OptionSpec.builder("--priority")
        .paramLabel("P")
        .type(Integer.class)
        .description("The priority it is arbitrated at, 1 to 10 (default: 10, the STRUCTURAL class's)."));

    Promote(AbstractionsCli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() throws InterruptedException {
      Integer explicitPriority = checkPriority(spec, priority);
      try (Session session = cli.connect()) {
        EntityClient entities = session.client().entities();
        long version = treeVersion.getValue();
        PromoteTreeMemberResponse promoted = explicitPriority == null
            ? entities.promoteTreeMember(lineageId.getValue(), version)
            : entities.promoteTreeMember(lineageId.getValue(), version, explicitPriority);
        cli.output().treeWrite(promoted);
      }
      return ExitCodes.OK;
    }
  }

  private static final class Attach implements Callable<Integer> {

    private final AbstractionsCli cli;

    private final CommandSpec spec = Specs.command(this, "attach",
        "Puts a root, with every live member of its tree, under --parent (a member, or the root, of another "
            + "tree), if both trees are still at the versions given; both are then at one more than the larger of "
            + "the two. Prints the root of the tree it joined, the tree version, and the versions written: the "
            + "parent, the attached root, the members that moved with it.",
        "A stale version exits 4 (the tree that moved on and its current_tree_version are printed); a member "
            + "instead of a root (NOT_A_ROOT) or a parent in the root's own tree (TREE_CYCLE) exits 5.");

    private final PositionalParamSpec lineageId = Specs.parameter(spec, 0, "LINEAGE",
        "The root to attach, with its tree.");

    private final OptionSpec treeVersion = Specs.option(spec, OptionSpec.builder("--tree-version")
        .paramLabel("N")
        .type(long.class)
        .required(true)
        .description("The version of its tree, as read."));

    private final OptionSpec parentId = Specs.option(spec, OptionSpec.builder("--parent")
        .paramLabel("ID")
        .type(String.class)
        .required(true)
        .description("The member (or root) of another tree to attach it under."));

    private final OptionSpec parentTreeVersion = Specs.option(spec, OptionSpec.builder("--parent-tree-version")
        .paramLabel("M")
        .type(long.class)
        .required(true)
        .description("The version of the parent's tree, as read."));

    private final OptionSpec priority = Specs.option(spec, OptionSpec.builder("--priority")
        .paramLabel("P")
        .type(Integer.class)
        .description("The priority it is arbitrated at on both trees, 1 to 10 (default: 10, the STRUCTURAL "
            + "class's)."));

    Attach(AbstractionsCli cli) {
      this.cli = cli;
    }

    @Override
    public Integer call() throws InterruptedException {
      Integer explicitPriority = checkPriority(spec, priority);
      try (Session session = cli.connect()) {
        EntityClient entities = session.client().entities();
        String lineage = lineageId.getValue();
        long version = treeVersion.getValue();
        String parent = parentId.getValue();
        long parentVersion = parentTreeVersion.getValue();
        AttachTreeResponse attached = explicitPriority == null
            ? entities.attachTree(lineage, version, parent, parentVersion)
            : entities.attachTree(lineage, version, parent, parentVersion, explicitPriority);
        cli.output().treeWrite(attached);
      }
      return ExitCodes.OK;
    }
  }

  /** The --priority given, or null; a usage error (exit 2, nothing sent) for one outside 1 to 10. */
  private static Integer checkPriority(CommandSpec spec, OptionSpec option) {
    Integer priority = option.getValue();
    if (priority != null && (priority < 1 || priority > 10)) {
      throw new ParameterException(spec.commandLine(), "--priority must be 1 to 10, was " + priority);
    }
    return priority;
  }
}
