package dev.abstractions.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.abstractions.api.v1.AttachTreeResponse;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.MemberChanged;
import dev.abstractions.api.v1.PromoteTreeMemberResponse;
import dev.abstractions.api.v1.WriteTreeResponse;
import dev.abstractions.cli.Main;
import dev.abstractions.client.AbstractionsClient;
import dev.abstractions.client.EntityClient;
import dev.abstractions.client.Structs;
import dev.abstractions.client.TreeChanges;
import dev.abstractions.server.TestServer;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's tree changes ({@code tree write}, {@code tree promote}, {@code tree attach}) and the
 * tree events of {@code watch}, run in-process through {@link Main#run} against real servers:
 * exact output, text and {@code --json}, and exit codes.
 */
class CliTreeTest {

  private static TestServer server;
  private static AbstractionsClient client;
  private static EntityClient entities;

  @TempDir
  Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = TestServer.start();
    client = AbstractionsClient.using(server.channel());
    entities = client.entities();
  }

  @AfterAll
  static void stopServer() throws Exception {
    client.close();
    server.close();
  }

  /** What one run printed and returned. */
  record Run(int exitCode, String out, String err) {
    List<String> lines() {
      return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
    }
  }

  @Test
  void treeWritePrintsTheNewTreeVersionAndTheVersionsWrittenAndAStaleTreeVersionExitsFour() throws Exception {
    String root = "d1000000-0000-4000-8000-000000000001";
    String line = "d1000000-0000-4000-8000-000000000002";
    String note = "d1000000-0000-4000-8000-000000000003";
    entities.create(root, "Order", Structs.fromJson("{\"total\":0}"));
    entities.createMember(root, line, "Line", Structs.fromJson("{\"sku\":\"pen\"}"));

    Run text = cli("tree", "write", root, "--tree-version", "2", "--data", "{\"changes\":["
        + "{\"update\":{\"lineageId\":\"" + root + "\",\"data\":{\"total\":7}}},"
        + "{\"create\":{\"parentLineageId\":\"" + line + "\",\"lineageId\":\"" + note + "\",\"entityType\":\"Note\","
        + "\"data\":{\"text\":\"gift\"}}}]}");
    Run fromStdin = cliReading("{\"changes\":[{\"update\":{\"lineage_id\":\"" + line + "\",\"data\":{\"sku\":\"ink\"}}}]}",
        "tree", "write", root, "--tree-version", "3", "--data", "-", "--json");
    Path deletes = Files.writeString(dir.resolve("changes.json"),
        "{\"changes\": [{\"delete\": {\"lineageId\": \"" + note + "\"}}]}");
    Run fromFile = cli("tree", "write", root, "--tree-version", "4", "--data", "@" + deletes);
    Run stale = cli("tree", "write", root, "--tree-version", "2", "--data",
        "{\"changes\":[{\"update\":{\"lineageId\":\"" + root + "\",\"data\":{}}}]}");

    assertThat(text).isEqualTo(new Run(0, ""
        + "tree_version  3\n"
        + "\n"
        + pad("WRITTEN", 38) + "TYPE   VERSION  " + pad("PARENT", 38) + "DATA\n"
        + root + "  Order  2        " + pad("-", 38) + "{\"total\":7}\n"
        + note + "  Note   1        " + line + "  {\"text\":\"gift\"}\n", ""));
    assertThat(fromStdin.exitCode()).as(fromStdin.err()).isZero();
    WriteTreeResponse written = parse(fromStdin.out(), WriteTreeResponse.getDefaultInstance());
    assertThat(written.getTreeVersion()).isEqualTo(4);
    assertThat(written.getWrittenList()).containsExactly(entities.get(line));
    assertThat(fromFile).isEqualTo(new Run(0, ""
        + "tree_version  5\n"
        + "\n"
        + pad("WRITTEN", 38) + "TYPE  VERSION      " + pad("PARENT", 38) + "DATA\n"
        + note + "  Note  2 (deleted)  " + line + "  {\"text\":\"gift\"}\n", ""));
    assertThat(stale).isEqualTo(new Run(4, "", ""
        + "abstractions: ABORTED TREE_VERSION_CONFLICT: tree version conflict on " + root
        + ": current tree version is 5\n"
        + "  current_tree_version: 5\n"
        + "  root_lineage_id: " + root + "\n"));
    assertThat(entities.getTree(root).treeVersion()).isEqualTo(5);
  }

  @Test
  void treeWriteRefusesDataThatIsNoListOfChangesWithUsageExitTwo() {
    String root = entities.create("Order", Structs.fromJson("{}")).getLineageId();
    String hint = "Try 'abstractions tree write --help' for more information.\n";
    String shape = "abstractions: Invalid value for option '--data': expected {\"changes\":[...]} with at least one "
        + "change such as {\"update\":{\"lineageId\":\"…\",\"data\":{…}}}";

    Run empty = cli("tree", "write", root, "--tree-version", "1", "--data", "{\"changes\":[]}");
    Run bare = cli("tree", "write", root, "--tree-version", "1", "--data", "{\"update\":{}}");
    Run unknown = cli("tree", "write", root, "--tree-version", "1", "--data", "{\"changes\":[{\"move\":{}}]}");
    Run missing = cli("tree", "write", root, "--data", "{\"changes\":[{\"delete\":{\"lineageId\":\"" + root + "\"}}]}");

    assertThat(empty).isEqualTo(new Run(2, "", shape + ", got no change\n" + hint));
    assertThat(bare).isEqualTo(new Run(2, "", shape + ", got the keys [update]\n" + hint));
    assertThat(unknown).isEqualTo(new Run(2, "", shape + " (no field 'changes[0].move' in TreeChange)\n" + hint));
    assertThat(missing).isEqualTo(new Run(2, "", "abstractions: Missing required option: '--tree-version=N'\n" + hint));
    assertThat(entities.getTree(root).treeVersion()).isEqualTo(1);
  }

  @Test
  void treePromotePrintsTheTreeItLeftAndTheVersionsWrittenAndARootExitsFive() throws Exception {
    String root = "d2000000-0000-4000-8000-000000000001";
    String line = "d2000000-0000-4000-8000-000000000002";
    String note = "d2000000-0000-4000-8000-000000000003";
    entities.create(root, "Order", Structs.fromJson("{}"));
    entities.createMember(root, line, "Line", Structs.fromJson("{\"sku\":\"pen\"}"));
    entities.createMember(line, note, "Note", Structs.fromJson("{}"));

    Run promoted = cli("tree", "promote", line, "--tree-version", "3");
    Run again = cli("tree", "promote", line, "--tree-version", "4");
    Run stale = cli("tree", "promote", note, "--tree-version", "3");
    Run badPriority = cli("tree", "promote", note, "--tree-version", "4", "--priority", "11");
    Run json = cli("tree", "promote", note, "--tree-version", "4", "--priority", "10", "--json");

    assertThat(promoted).isEqualTo(new Run(0, ""
        + "old_root_lineage_id  " + root + "\n"
        + "tree_version         4\n"
        + "\n"
        + pad("WRITTEN", 38) + "TYPE   VERSION  " + pad("PARENT", 38) + "DATA\n"
        + root + "  Order  2        " + pad("-", 38) + "{}\n"
        + line + "  Line   2        " + pad("-", 38) + "{\"sku\":\"pen\"}\n"
        + note + "  Note   2        " + line + "  {}\n", ""));
    assertThat(again.exitCode()).isEqualTo(5);
    assertThat(again.err()).startsWith("abstractions: FAILED_PRECONDITION ALREADY_A_ROOT: ")
        .endsWith("  lineage_id: " + line + "\n");
    assertThat(stale.exitCode()).isEqualTo(4);
    assertThat(stale.err()).startsWith("abstractions: ABORTED TREE_VERSION_CONFLICT: ")
        .contains("\n  current_tree_version: 4\n");
    assertThat(badPriority).isEqualTo(new Run(2, "", ""
        + "abstractions: --priority must be 1 to 10, was 11\n"
        + "Try 'abstractions tree promote --help' for more information.\n"));
    assertThat(json.exitCode()).as(json.err()).isZero();
    PromoteTreeMemberResponse response = parse(json.out(), PromoteTreeMemberResponse.getDefaultInstance());
    assertThat(response.getOldRootLineageId()).isEqualTo(line);
    assertThat(response.getTreeVersion()).isEqualTo(5);
    assertThat(response.getWrittenList()).extracting(Entity::getLineageId).containsExactly(line, note);
    assertThat(entities.getTree(note).treeVersion()).isEqualTo(5);
  }

  @Test
  void treeAttachPrintsTheTreeItJoinedAndTheVersionsWrittenACycleExitsFiveAndAStaleVersionFour()
      throws Exception {
    String order = "d3000000-0000-4000-8000-000000000001";
    String pen = "d3000000-0000-4000-8000-000000000002";
    String box = "d3000000-0000-4000-8000-000000000003";
    String item = "d3000000-0000-4000-8000-000000000004";
    String loose = "d3000000-0000-4000-8000-000000000005";
    entities.create(order, "Order", Structs.fromJson("{}"));
    entities.createMember(order, pen, "Line", Structs.fromJson("{\"sku\":\"pen\"}"));
    entities.create(box, "Box", Structs.fromJson("{}"));
    entities.createMember(box, item, "Item", Structs.fromJson("{\"n\":1}"));
    entities.create(loose, "Box", Structs.fromJson("{}"));

    Run attached = cli("tree", "attach", box, "--tree-version", "2", "--parent", pen, "--parent-tree-version", "2");
    Run cycle = cli("tree", "attach", loose, "--tree-version", "1", "--parent", loose, "--parent-tree-version", "1");
    Run stale = cli("tree", "attach", loose, "--tree-version", "1", "--parent", pen, "--parent-tree-version", "2");
    Run member = cli("tree", "attach", item, "--tree-version", "3", "--parent", pen, "--parent-tree-version", "3");
    Run badPriority = cli("tree", "attach", loose, "--tree-version", "1", "--parent", item,
        "--parent-tree-version", "3", "--priority", "0");
    Run json = cli("tree", "attach", loose, "--tree-version", "1", "--parent", item, "--parent-tree-version", "3",
        "--priority", "10", "--json");

    assertThat(attached).isEqualTo(new Run(0, ""
        + "root_lineage_id  " + order + "\n"
        + "tree_version     3\n"
        + "\n"
        + pad("WRITTEN", 38) + "TYPE  VERSION  PARENT" + " ".repeat(32) + "DATA\n"
        + pen + "  Line  2        " + order + "  {\"sku\":\"pen\"}\n"
        + box + "  Box   2        " + pen + "  {}\n"
        + item + "  Item  2        " + box + "  {\"n\":1}\n", ""));
    assertThat(cycle.exitCode()).isEqualTo(5);
    assertThat(cycle.err()).startsWith("abstractions: FAILED_PRECONDITION TREE_CYCLE: ")
        .endsWith("\n  lineage_id: " + loose + "\n  parent_lineage_id: " + loose + "\n");
    assertThat(stale.exitCode()).isEqualTo(4);
    assertThat(stale.err()).startsWith("abstractions: ABORTED TREE_VERSION_CONFLICT: ")
        .endsWith("\n  current_tree_version: 3\n  root_lineage_id: " + order + "\n");
    assertThat(member.exitCode()).isEqualTo(5);
    assertThat(member.err()).startsWith("abstractions: FAILED_PRECONDITION NOT_A_ROOT: ");
    assertThat(badPriority).isEqualTo(new Run(2, "", ""
        + "abstractions: --priority must be 1 to 10, was 0\n"
        + "Try 'abstractions tree attach --help' for more information.\n"));
    assertThat(json.exitCode()).as(json.err()).isZero();
    AttachTreeResponse response = parse(json.out(), AttachTreeResponse.getDefaultInstance());
    assertThat(response.getRootLineageId()).isEqualTo(order);
    assertThat(response.getTreeVersion()).isEqualTo(4);
    assertThat(response.getWrittenList()).extracting(Entity::getLineageId, Entity::getVersion)
        .containsExactly(tuple(item, 3L), tuple(loose, 2L));
    assertThat(entities.getTree(order).members()).extracting(Entity::getLineageId)
        .containsExactlyInAnyOrder(order, pen, box, item, loose);
  }

  @Test
  void treeHelpNamesEveryTreeCommandAndItsOptions() {
    assertThat(cli("tree", "--help").out()).contains("\n  get ", "\n  history ", "\n  write ", "\n  promote ",
        "\n  attach ");
    assertThat(cli("tree", "write", "--help").out()).startsWith("Usage: abstractions tree write")
        .contains("--tree-version=N", "--data=JSON");
    assertThat(cli("tree", "promote", "--help").out()).startsWith("Usage: abstractions tree promote")
        .contains("--tree-version=N", "--priority=P");
    assertThat(cli("tree", "attach", "--help").out()).startsWith("Usage: abstractions tree attach")
        .contains("--tree-version=N", "--parent=ID", "--parent-tree-version=M", "--priority=P");
    assertThat(cli("watch", "--help").out()).contains("tree_changed, tree_promoted,", "tree_attached.");
  }

  @Test
  void watchPrintsTreeChangesPromotionsAndAttachesWithTheirMembers() throws Exception {
    String order = "d4000000-0000-4000-8000-000000000001";
    String line = "d4000000-0000-4000-8000-000000000002";
    String gone = "d4000000-0000-4000-8000-000000000003";
    String note = "d4000000-0000-4000-8000-000000000004";
    String box = "d4000000-0000-4000-8000-000000000005";
    try (TestServer events = TestServer.start();
        AbstractionsClient local = AbstractionsClient.using(events.channel())) {
      EntityClient trees = local.entities();
      trees.create(order, "Order", Structs.fromJson("{}"));
      trees.createMember(order, line, "Line", Structs.fromJson("{}"));
      trees.createMember(order, gone, "Line", Structs.fromJson("{}"));
      trees.writeTree(order, 3, List.of(TreeChanges.update(order, Structs.fromJson("{\"total\":1}")),
          TreeChanges.create(line, note, "Note", Structs.fromJson("{\"text\":\"x\"}")), TreeChanges.delete(gone)));
      trees.promoteTreeMember(line, 4);
      trees.create(box, "Box", Structs.fromJson("{}"));
      trees.attachTree(line, 5, box, 1);

      Map<String, String> environment = Map.of("ABSTRACTIONS_TARGET", "127.0.0.1:" + events.port());
      String[] watch = {"watch", "--from-oldest", "--kind", "tree_changed,tree_promoted,tree_attached",
          "--max-events", "3", "--include-entities"};
      Run text = cliIn(environment, "", watch);
      Run json = cliIn(environment, "", concat(watch, "--json"));

      assertThat(json.exitCode()).as(json.err()).isZero();
      List<Event> parsed = new ArrayList<>();
      for (String jsonLine : json.lines()) {
        parsed.add(parse(jsonLine, Event.getDefaultInstance()));
      }
      assertThat(parsed).extracting(Event::getKindCase)
          .containsExactly(Event.KindCase.TREE_CHANGED, Event.KindCase.TREE_PROMOTED, Event.KindCase.TREE_ATTACHED);
      Event changed = parsed.get(0);
      Event promoted = parsed.get(1);
      Event attached = parsed.get(2);
      assertThat(changed.getTargetLineageId()).isEqualTo(order);
      assertThat(changed.getTreeChanged().getMembersList()).extracting(MemberChanged::getLineageId,
              MemberChanged::getOldVersion, MemberChanged::getNewVersion, MemberChanged::getDeleted)
          .containsExactly(tuple(order, 1L, 2L, false), tuple(note, 0L, 1L, false), tuple(gone, 1L, 2L, true));
      assertThat(changed.getTreeChanged().getMembers(1).getEntity()).isEqualTo(trees.get(note, 1));
      assertThat(promoted.getTargetLineageId()).isEqualTo(line);
      assertThat(promoted.getRootLineageId()).isEqualTo(order);
      assertThat(attached.getTargetLineageId()).isEqualTo(line);
      assertThat(attached.getRootLineageId()).isEqualTo(box);
      assertThat(attached.getTreeAttached().getMembersList()).extracting(MemberChanged::getLineageId,
              MemberChanged::getOldVersion, MemberChanged::getNewVersion)
          .containsExactly(tuple(box, 1L, 2L), tuple(line, 2L, 3L), tuple(note, 2L, 3L));

      // With --include-entities each member that is no tombstone ends with its new data.
      assertThat(text).isEqualTo(new Run(0, ""
          + head(changed) + " tree v3->v4: " + order + " v1->v2 changed=[total] {\"total\":1}; " + note
          + " v1 created changed=[text] {\"text\":\"x\"}; " + gone + " v1->v2 deleted\n"
          + head(promoted) + " from=" + order + " tree v5: " + order + " v2->v3 changed=[] {\"total\":1}; " + line
          + " v1->v2 changed=[] {}; " + note + " v1->v2 changed=[] {\"text\":\"x\"}\n"
          + head(attached) + " into=" + box + " tree v1->v6 attached=v5: " + box + " v1->v2 changed=[] {}; " + line
          + " v2->v3 changed=[] {}; " + note + " v2->v3 changed=[] {\"text\":\"x\"}\n", ""));
      assertThat(head(promoted)).endsWith(" priority=10");
    }
  }

  // ---- helpers ----

  /** What every event line starts with: {@code SEQUENCE KIND TYPE LINEAGE priority=P [op=OPID]}. */
  private static String head(Event event) {
    return event.getSequence() + " " + event.getKindCase().name().toLowerCase(java.util.Locale.ROOT) + " "
        + event.getEntityType() + " " + event.getTargetLineageId() + " priority=" + event.getPriority()
        + (event.getOpId().isEmpty() ? "" : " op=" + event.getOpId());
  }

  private static Run cli(String... args) {
    return cliReading("", args);
  }

  /** Runs the CLI against the shared server with {@code stdin} as its standard input. */
  private static Run cliReading(String stdin, String... args) {
    return cliIn(Map.of("ABSTRACTIONS_TARGET", "127.0.0.1:" + server.port()), stdin, args);
  }

  private static Run cliIn(Map<String, String> environment, String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintWriter(out, true), new PrintWriter(err, true), environment);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private static String[] concat(String[] args, String... more) {
    String[] all = Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }

  /** Parses one JSON line as the type of {@code prototype}. */
  @SuppressWarnings("unchecked")
  private static <M extends Message> M parse(String json, M prototype) throws Exception {
    Message.Builder builder = prototype.newBuilderForType();
    JsonFormat.parser().merge(json.strip(), builder);
    return (M) builder.build();
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(width - text.length());
  }
}
