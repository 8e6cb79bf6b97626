package dev.abstractions.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.GetTreeResponse;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.TreeVersion;
import dev.abstractions.client.AbstractionsClient;
import dev.abstractions.client.EntityClient;
import dev.abstractions.client.Structs;
import dev.abstractions.client.Tree;
import dev.abstractions.client.TreeChanges;
import dev.abstractions.cli.Main;
import dev.abstractions.server.TestServer;
import dev.abstractions.server.operate.TestCertificates;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code abstractions} CLI, run in-process through {@link Main#run} with captured output,
 * against real servers: exact output of each command, exit codes, a watch that resumes across cut
 * connections, and a short demo.
 */
class CliTest {

  private static TestServer server;
  private static AbstractionsClient client;

  @TempDir
  Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = TestServer.start();
    client = AbstractionsClient.using(server.channel());
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

  /** Runs the CLI against the shared server, named by ABSTRACTIONS_TARGET. */
  private static Run cli(String... args) {
    return cliWith(Map.of("ABSTRACTIONS_TARGET", "127.0.0.1:" + server.port()), args);
  }

  private static Run cliWith(Map<String, String> environment, String... args) {
    return cliReading("", environment, args);
  }

  /** Runs the CLI with {@code stdin} as its standard input. */
  private static Run cliReading(String stdin, Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exitCode = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintWriter(out, true), new PrintWriter(err, true), environment);
    return new Run(exitCode, out.toString(), err.toString());
  }

  // ---- entities ----

  @Test
  void getPrintsTheLatestVersionAsAlignedFieldLinesAndAnOlderOneOnRequest() {
    Entity created = client.entities().create("Student", Structs.fromJson("{\"name\":\"Ada\"}"));
    Entity updated = client.entities().update(created.getLineageId(), 1, Structs.fromJson("{\"name\":\"Ada L.\"}"));

    Run latest = cli("get", created.getLineageId());
    Run first = cli("get", created.getLineageId(), "--version", "1");

    assertThat(latest).isEqualTo(new Run(0, ""
        + "lineage_id        " + updated.getLineageId() + "\n"
        + "ecs_id            " + updated.getEcsId() + "\n"
        + "previous_ecs_id   " + created.getEcsId() + "\n"
        + "version           2\n"
        + "last_modified_ns  " + updated.getLastModifiedNs() + "\n"
        + "created_at        " + Timestamps.toString(created.getCreatedAt()) + "\n"
        + "modified_at       " + Timestamps.toString(updated.getModifiedAt()) + "\n"
        + "entity_type       Student\n"
        + "data              {\"name\":\"Ada L.\"}\n"
        + "root_lineage_id   " + created.getLineageId() + "\n"
        + "tree_version      2\n", ""));
    assertThat(first).isEqualTo(new Run(0, ""
        + "lineage_id        " + created.getLineageId() + "\n"
        + "ecs_id            " + created.getEcsId() + "\n"
        + "version           1\n"
        + "last_modified_ns  " + created.getLastModifiedNs() + "\n"
        + "created_at        " + Timestamps.toString(created.getCreatedAt()) + "\n"
        + "modified_at       " + Timestamps.toString(created.getModifiedAt()) + "\n"
        + "entity_type       Student\n"
        + "data              {\"name\":\"Ada\"}\n"
        + "root_lineage_id   " + created.getLineageId() + "\n"
        + "tree_version      1\n", ""));
  }

  @Test
  void createPrintsVersionOneWithJsonPrintsOneParseableEntityAndATakenIdExitsFour() throws Exception {
    String id = "0b6f4c2e-8d1a-4f3b-9c7e-2a5d6e8f1b3c";

    Run text = cli("create", "Student", "--id", id, "--data", "{\"credits\":3}");
    Run json = cli("create", "Student", "--data", "{\"credits\":4}", "--json");

    Entity created = client.entities().get(id);
    assertThat(text).isEqualTo(new Run(0, ""
        + "lineage_id        " + id + "\n"
        + "ecs_id            " + created.getEcsId() + "\n"
        + "version           1\n"
        + "last_modified_ns  " + created.getLastModifiedNs() + "\n"
        + "created_at        " + Timestamps.toString(created.getCreatedAt()) + "\n"
        + "modified_at       " + Timestamps.toString(created.getModifiedAt()) + "\n"
        + "entity_type       Student\n"
        + "data              {\"credits\":3}\n"
        + "root_lineage_id   " + id + "\n"
        + "tree_version      1\n", ""));
    Run again = cli("create", "Student", "--id", id, "--data", "{}");
    assertThat(again.exitCode()).isEqualTo(4);
    assertThat(again.err()).startsWith("abstractions: ALREADY_EXISTS ENTITY_ALREADY_EXISTS: ");
    assertThat(json.exitCode()).isZero();
    assertThat(json.lines()).hasSize(1);
    Entity parsed = parse(json.out(), Entity.getDefaultInstance());
    assertThat(parsed).isEqualTo(client.entities().get(parsed.getLineageId()));
    assertThat(parsed.getData()).isEqualTo(Structs.fromJson("{\"credits\":4}"));
  }

  @Test
  void updateWritesTheNextVersionAndPrintsIt() throws Exception {
    String id = client.entities().create("Student", Structs.fromJson("{\"credits\":1}")).getLineageId();

    Run run = cli("update", id, "--expect-version", "1", "--data", "{\"credits\":2}", "--json");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
    Entity written = parse(run.out(), Entity.getDefaultInstance());
    assertThat(written.getVersion()).isEqualTo(2);
    assertThat(written).isEqualTo(client.entities().get(id));
  }

  @Test
  void updateOnAStaleVersionWritesNothingPrintsTheCurrentVersionAndExitsFour() throws Exception {
    String id = client.entities().create("Student", Structs.fromJson("{\"credits\":1}")).getLineageId();
    Entity current = client.entities().update(id, 1, Structs.fromJson("{\"credits\":2}"));

    Run text = cli("update", id, "--expect-version", "1", "--data", "{\"credits\":9}");
    Run json = cli("update", id, "--expect-version", "1", "--data", "{\"credits\":9}", "--json");

    assertThat(text).isEqualTo(new Run(4, "", ""
        + "abstractions: ABORTED VERSION_CONFLICT: version conflict on " + id + ": current version is 2\n"
        + "  current_ecs_id: " + current.getEcsId() + "\n"
        + "  current_version: 2\n"
        + "  lineage_id: " + id + "\n"));
    assertThat(json.exitCode()).isEqualTo(4);
    assertThat(json.out()).isEmpty();
    Struct error = parse(json.err(), Struct.getDefaultInstance());
    assertThat(error.getFieldsOrThrow("reason").getStringValue()).isEqualTo("VERSION_CONFLICT");
    assertThat(error.getFieldsOrThrow("metadata").getStructValue().getFieldsOrThrow("current_version").getStringValue())
        .isEqualTo("2");
    assertThat(client.entities().get(id)).isEqualTo(current);
  }

  @Test
  void deletePrintsTheTombstoneAndTheEntityIsThenNotFoundWithExitThree() {
    Entity created = client.entities().create("Student", Structs.fromJson("{\"name\":\"Ada\"}"));
    String id = created.getLineageId();

    Run deleted = cli("delete", id, "--expect-version", "1");
    Run get = cli("get", id);

    Entity tombstone = client.entities().get(id, 2);
    assertThat(deleted).isEqualTo(new Run(0, ""
        + "lineage_id        " + id + "\n"
        + "ecs_id            " + tombstone.getEcsId() + "\n"
        + "previous_ecs_id   " + created.getEcsId() + "\n"
        + "version           2\n"
        + "last_modified_ns  " + tombstone.getLastModifiedNs() + "\n"
        + "created_at        " + Timestamps.toString(created.getCreatedAt()) + "\n"
        + "modified_at       " + Timestamps.toString(tombstone.getModifiedAt()) + "\n"
        + "entity_type       Student\n"
        + "data              {\"name\":\"Ada\"}\n"
        + "deleted           true\n"
        + "root_lineage_id   " + id + "\n"
        + "tree_version      2\n", ""));
    assertThat(get).isEqualTo(new Run(3, "", ""
        + "abstractions: NOT_FOUND ENTITY_DELETED: entity " + id + " was deleted at version 2\n"
        + "  deleted_version: 2\n"
        + "  lineage_id: " + id + "\n"));
  }

  @Test
  void unknownEntityOrOperationExitsThree() {
    String id = "7d3c1b2a-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

    assertThat(cli("get", id)).isEqualTo(new Run(3, "", ""
        + "abstractions: NOT_FOUND ENTITY_NOT_FOUND: entity " + id + " not found\n"
        + "  lineage_id: " + id + "\n"));
    assertThat(cli("ops", "get", id)).isEqualTo(new Run(3, "", ""
        + "abstractions: NOT_FOUND OPERATION_NOT_FOUND: operation " + id + " not found\n"
        + "  op_id: " + id + "\n"));
  }

  @Test
  void historyReadsEveryPageIntoOneTableOrOneJsonEntityPerLine() throws Exception {
    String id = client.entities().create("Counter", count(0)).getLineageId();
    for (long version = 1; version < 5; version++) {
      client.entities().update(id, version, count(version));
    }
    List<Entity> versions = client.entities().history(id, 10, "").getVersionsList();

    Run table = cli("history", id, "--page-size", "2");
    Run json = cli("history", id, "--page-size", "2", "--json");

    // Timestamps print 0, 3, 6 or 9 fraction digits: the column is as wide as the widest.
    int width = versions.stream().mapToInt(v -> Timestamps.toString(v.getModifiedAt()).length()).max().orElseThrow();
    StringBuilder expected = new StringBuilder("VERSION  " + pad("MODIFIED_AT", width) + "  DATA\n");
    for (Entity version : versions) {
      expected.append(pad(Long.toString(version.getVersion()), 7)).append("  ")
          .append(pad(Timestamps.toString(version.getModifiedAt()), width))
          .append("  {\"count\":").append(version.getVersion() - 1).append("}\n");
    }
    assertThat(table).isEqualTo(new Run(0, expected.toString(), ""));
    assertThat(table.lines()).hasSize(6);
    List<Entity> parsed = new ArrayList<>();
    for (String line : json.lines()) {
      parsed.add(parse(line, Entity.getDefaultInstance()));
    }
    assertThat(parsed).isEqualTo(versions);
  }

  // ---- trees ----

  @Test
  void createWithParentMakesAMemberAndTreeGetPrintsEveryMemberUnderItsParentAtOneTreeVersion() throws Exception {
    String root = "c1000000-0000-4000-8000-000000000001";
    String ink = "c1000000-0000-4000-8000-000000000002";
    String pen = "c1000000-0000-4000-8000-000000000003";
    String note = "c1000000-0000-4000-8000-000000000004";
    client.entities().create(root, "Order", Structs.fromJson("{\"customer\":\"Ada\"}"));
    client.entities().createMember(root, pen, "Line", Structs.fromJson("{\"sku\":\"pen\"}"));

    Run created = cli("create", "Note", "--id", note, "--parent", pen, "--data", "{\"text\":\"gift\"}");
    client.entities().createMember(root, ink, "Line", Structs.fromJson("{\"sku\":\"ink\"}"));
    client.entities().update(pen, 1, Structs.fromJson("{\"sku\":\"pen\",\"qty\":3}"));
    Tree latest = client.entities().getTree(root);
    Tree three = client.entities().getTree(root, 3);
    Run text = cli("tree", "get", root);
    Run older = cli("tree", "get", root, "--tree-version", "3", "--serializable");
    Run json = cli("tree", "get", root, "--json");

    Entity noteEntity = client.entities().get(note);
    assertThat(created).isEqualTo(new Run(0, ""
        + "lineage_id         " + note + "\n"
        + "ecs_id             " + noteEntity.getEcsId() + "\n"
        + "version            1\n"
        + "last_modified_ns   " + noteEntity.getLastModifiedNs() + "\n"
        + "created_at         " + Timestamps.toString(noteEntity.getCreatedAt()) + "\n"
        + "modified_at        " + Timestamps.toString(noteEntity.getModifiedAt()) + "\n"
        + "entity_type        Note\n"
        + "data               {\"text\":\"gift\"}\n"
        + "root_lineage_id    " + root + "\n"
        + "parent_lineage_id  " + pen + "\n"
        + "tree_version       3\n", ""));
    assertThat(text).isEqualTo(new Run(0, ""
        + "root_lineage_id   " + root + "\n"
        + "tree_version      5\n"
        + "last_modified_ns  " + latest.lastModifiedNs() + "\n"
        + "\n"
        + "MEMBER                                    TYPE   VERSION  DATA\n"
        + root + "      Order  1        {\"customer\":\"Ada\"}\n"
        + "  " + ink + "    Line   1        {\"sku\":\"ink\"}\n"
        + "  " + pen + "    Line   2        {\"sku\":\"pen\",\"qty\":3}\n"
        + "    " + note + "  Note   1        {\"text\":\"gift\"}\n", ""));
    assertThat(older).isEqualTo(new Run(0, ""
        + "root_lineage_id   " + root + "\n"
        + "tree_version      3\n"
        + "last_modified_ns  " + three.lastModifiedNs() + "\n"
        + "\n"
        + "MEMBER                                    TYPE   VERSION  DATA\n"
        + root + "      Order  1        {\"customer\":\"Ada\"}\n"
        + "  " + pen + "    Line   1        {\"sku\":\"pen\"}\n"
        + "    " + note + "  Note   1        {\"text\":\"gift\"}\n", ""));
    assertThat(json.exitCode()).isZero();
    assertThat(json.lines()).hasSize(1);
    assertThat(parse(json.out(), GetTreeResponse.getDefaultInstance()))
        .isEqualTo(client.entities().getTreePage(root, 0, 0, ""));
  }

  @Test
  void treeHistoryPrintsARowPerMemberVersionOfEachTreeVersionAcrossPagesOrOneJsonTreeVersionPerLine()
      throws Exception {
    String root = "c2000000-0000-4000-8000-000000000001";
    String doc = "c2000000-0000-4000-8000-000000000002";
    client.entities().create(root, "Folder", Structs.fromJson("{}"));
    client.entities().createMember(root, doc, "Doc", Structs.fromJson("{}"));
    client.entities().writeTree(root, 2, List.of(TreeChanges.update(root, Structs.fromJson("{\"docs\":0}")),
        TreeChanges.delete(doc)));
    List<TreeVersion> versions = client.entities().treeHistory(root, 0, "").getVersionsList();

    Run table = cli("tree", "history", root, "--page-size", "2");
    Run json = cli("tree", "history", root, "--page-size", "1", "--json", "--serializable");

    List<String> times = versions.stream()
        .map(version -> Instant.EPOCH.plusNanos(version.getLastModifiedNs()).toString()).toList();
    int width = times.stream().mapToInt(String::length).max().orElseThrow();
    assertThat(table).isEqualTo(new Run(0, ""
        + "TREE_VERSION  " + pad("MODIFIED_AT", width) + "  MEMBER" + " ".repeat(30) + "  VERSION\n"
        + "1             " + pad(times.get(0), width) + "  " + root + "  1\n"
        + "2             " + pad(times.get(1), width) + "  " + doc + "  1\n"
        + "3             " + pad(times.get(2), width) + "  " + root + "  2\n"
        + "3             " + pad(times.get(2), width) + "  " + doc + "  2 (deleted)\n", ""));
    List<TreeVersion> parsed = new ArrayList<>();
    for (String line : json.lines()) {
      parsed.add(parse(line, TreeVersion.getDefaultInstance()));
    }
    assertThat(parsed).isEqualTo(versions).hasSize(3);
  }

  @Test
  void treeCommandsOnAMemberExitFiveNamingTheRootAndAnUnreachedTreeVersionExitsThree() {
    String root = client.entities().create("Order", Structs.fromJson("{}")).getLineageId();
    String line = client.entities().createMember(root, "Line", Structs.fromJson("{}")).getLineageId();

    assertThat(cli("tree", "get", line)).isEqualTo(new Run(5, "", ""
        + "abstractions: FAILED_PRECONDITION NOT_A_ROOT: entity " + line + " is a member of the tree rooted at "
        + root + ", not a root\n"
        + "  lineage_id: " + line + "\n"
        + "  root_lineage_id: " + root + "\n"));
    assertThat(cli("tree", "history", line).exitCode()).isEqualTo(5);
    assertThat(cli("tree", "get", root, "--tree-version", "9")).isEqualTo(new Run(3, "", ""
        + "abstractions: NOT_FOUND VERSION_NOT_FOUND: tree " + root
        + " has no tree version 9 (it began at 1, latest is 2)\n"
        + "  current_tree_version: 2\n"
        + "  root_lineage_id: " + root + "\n"));
    Run json = cli("delete", root, "--expect-version", "1", "--json");
    assertThat(json.exitCode()).isEqualTo(5);
    assertThat(json.err()).startsWith("{\"code\":\"FAILED_PRECONDITION\",\"reason\":\"MEMBER_HAS_CHILDREN\",");
  }

  // ---- operations ----

  @Test
  void opsListPrintsATableOfTheTargetsOperationsAndOpsGetPrintsOne() throws Exception {
    String id = client.entities().create("Counter", count(0)).getLineageId();
    client.operations().update(id, data -> count(1), PriorityClass.NORMAL);
    Entity second = client.operations().update(id, data -> count(2), PriorityClass.STRUCTURAL);
    OperationEntity structural = client.operations().getOperation(second.getDerivedFromOpId());
    List<OperationEntity> all = client.operations().listOperations(id, List.of(), 0, "").getOperationsList();

    Run list = cli("ops", "list", id);
    Run succeeded = cli("ops", "list", id, "--status", "succeeded,rejected", "--json");
    Run none = cli("ops", "list", id, "--status", "PENDING");
    Run get = cli("ops", "get", structural.getOpId());

    String opIdColumn = " ".repeat(structural.getOpId().length() - "OP_ID".length());
    assertThat(list).isEqualTo(new Run(0, ""
        + "OP_ID" + opIdColumn + "  STATUS     CLASS       PRIORITY  RETRIES  VERSION  OP_TYPE\n"
        + all.get(0).getOpId() + "  SUCCEEDED  NORMAL      5         0/5      2\n"
        + all.get(1).getOpId() + "  SUCCEEDED  STRUCTURAL  10        0/20     3\n", ""));
    assertThat(succeeded.lines()).hasSize(2);
    assertThat(parse(succeeded.lines().get(1), OperationEntity.getDefaultInstance())).isEqualTo(structural);
    assertThat(none).isEqualTo(new Run(0, "OP_ID  STATUS  CLASS  PRIORITY  RETRIES  VERSION  OP_TYPE\n", ""));
    assertThat(get).isEqualTo(new Run(0, ""
        + "op_id                   " + structural.getOpId() + "\n"
        + "priority_class          STRUCTURAL\n"
        + "priority                10\n"
        + "effective_priority      10\n"
        + "target_lineage_id       " + id + "\n"
        + "max_retries             20\n"
        + "status                  SUCCEEDED\n"
        + "created_at_ns           " + structural.getCreatedAtNs() + "\n"
        + "started_at              " + Timestamps.toString(structural.getStartedAt()) + "\n"
        + "completed_at            " + Timestamps.toString(structural.getCompletedAt()) + "\n"
        + "snapshot_version        2\n"
        + "deadline                " + Timestamps.toString(structural.getDeadline()) + "\n"
        + "committed_version       3\n"
        + "committed_tree_version  3\n", ""));
  }

  @Test
  void numbersPrintAsJsonNumbersWholeOnesWithoutAFractionAndBeyondTwoToThe53AsTheNearestDouble() throws Exception {
    Run text = cli("create", "Student", "--data",
        "{\"credits\":3,\"big\":12345678901234567,\"exact\":9007199254740992,\"ratio\":0.5,\"neg\":-2.0,"
            + "\"name\":\"3.0\"}");
    String id = text.lines().get(0).substring("lineage_id        ".length());
    Run json = cli("get", id, "--json");

    assertThat(text.exitCode()).isZero();
    assertThat(text.lines()).contains("data              {\"credits\":3,\"big\":12345678901234568,"
        + "\"exact\":9007199254740992,\"ratio\":0.5,\"neg\":-2,\"name\":\"3.0\"}");
    assertThat(json.exitCode()).isZero();
    assertThat(json.out()).contains(",\"data\":{\"credits\":3,\"big\":12345678901234568,\"exact\":9007199254740992,"
        + "\"ratio\":0.5,\"neg\":-2,\"name\":\"3.0\"},");
    assertThat(parse(json.out(), Entity.getDefaultInstance())).isEqualTo(client.entities().get(id));
  }

  @Test
  void dataComesFromStandardInputWithADashAndFromAFileWithAnAt() throws Exception {
    Run fromStdin = cliReading("{\"credits\":1}\n", Map.of("ABSTRACTIONS_TARGET", "127.0.0.1:" + server.port()),
        "create", "Student", "--data", "-", "--json");
    Entity created = parse(fromStdin.out(), Entity.getDefaultInstance());
    Path file = Files.writeString(dir.resolve("credits.json"), "{\"credits\": 2}");

    Run fromFile = cli("update", created.getLineageId(), "--expect-version", "1", "--data", "@" + file, "--json");
    Run missing = cli("create", "Student", "--data", "@" + dir.resolve("missing.json"));
    Run emptyStdin = cli("create", "Student", "--data", "-");

    assertThat(fromStdin.exitCode()).as(fromStdin.err()).isZero();
    assertThat(created.getData()).isEqualTo(Structs.fromJson("{\"credits\":1}"));
    assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();
    assertThat(client.entities().get(created.getLineageId()).getData()).isEqualTo(Structs.fromJson("{\"credits\":2}"));
    assertThat(missing).isEqualTo(new Run(2, "", ""
        + "abstractions: Invalid value for option '--data': cannot read file " + dir.resolve("missing.json")
        + ": java.nio.file.NoSuchFileException: " + dir.resolve("missing.json") + "\n"
        + "Try 'abstractions create --help' for more information.\n"));
    assertThat(emptyStdin).isEqualTo(new Run(2, "", ""
        + "abstractions: Invalid value for option '--data': expected a JSON object such as '{\"name\":\"Ada\"}', "
        + "got standard input (not a JSON object: End of input at line 1 column 1 path $)\n"
        + "Try 'abstractions create --help' for more information.\n"));
  }

  @Test
  void listPrintsEveryLiveEntityOfATypeAcrossPagesAsATableOrOneJsonEntityPerLine() throws Exception {
    String type = "Listed" + System.nanoTime();
    List<Entity> live = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      live.add(client.entities().create(type, Structs.fromJson("{\"n\":" + i + "}")));
    }
    Entity gone = client.entities().create(type, Structs.fromJson("{\"n\":9}"));
    client.entities().delete(gone.getLineageId(), 1);
    live.sort(java.util.Comparator.comparing(Entity::getLineageId));

    Run table = cli("list", type, "--page-size", "2");
    Run json = cli("list", type, "--page-size", "1", "--json");
    Run none = cli("list", "Nothing" + System.nanoTime());

    int width = live.stream().mapToInt(e -> Timestamps.toString(e.getModifiedAt()).length()).max().orElseThrow();
    StringBuilder expected = new StringBuilder("LINEAGE_ID" + " ".repeat(26) + "  VERSION  "
        + pad("MODIFIED_AT", width) + "  DATA\n");
    for (Entity entity : live) {
      expected.append(entity.getLineageId()).append("  1        ")
          .append(pad(Timestamps.toString(entity.getModifiedAt()), width)).append("  ")
          .append(Structs.toJson(entity.getData())).append('\n');
    }
    assertThat(table).isEqualTo(new Run(0, expected.toString(), ""));
    List<Entity> parsed = new ArrayList<>();
    for (String line : json.lines()) {
      parsed.add(parse(line, Entity.getDefaultInstance()));
    }
    assertThat(parsed).isEqualTo(live);
    assertThat(none).isEqualTo(new Run(0, "LINEAGE_ID  VERSION  MODIFIED_AT  DATA\n", ""));
  }

  @Test
  void executeRunsAServerFunctionAndPrintsTheVersionItWroteOrExitsFiveWhenTheFunctionFails() throws Exception {
    String id = client.entities().create("Counter", Structs.fromJson("{\"count\":1,\"name\":\"c\"}")).getLineageId();

    Run incremented = cli("execute", id, "increment", "--args", "{\"path\":\"count\",\"by\":2}", "--class", "low",
        "--json");
    Run failed = cli("execute", id, "increment", "--args", "{\"path\":\"name\",\"by\":1}");
    Run unknown = cli("execute", id, "frobnicate");
    Run badClass = cli("execute", id, "increment", "--class", "urgent");

    assertThat(incremented.exitCode()).as(incremented.err()).isZero();
    Entity written = parse(incremented.out(), Entity.getDefaultInstance());
    assertThat(written).isEqualTo(client.entities().get(id));
    assertThat(written.getData()).isEqualTo(Structs.fromJson("{\"count\":3,\"name\":\"c\"}"));
    assertThat(written.getDerivedFromFunction()).isEqualTo("increment");
    assertThat(client.operations().getOperation(written.getDerivedFromOpId()).getPriorityClass())
        .isEqualTo(PriorityClass.LOW);
    assertThat(failed.exitCode()).isEqualTo(5);
    assertThat(failed.out()).isEmpty();
    assertThat(failed.err()).startsWith("abstractions: FAILED: operation ").contains(" on " + id + " failed: ")
        .contains("\n  op_id: ");
    assertThat(unknown.exitCode()).isEqualTo(5);
    assertThat(unknown.err()).startsWith("abstractions: INVALID_ARGUMENT INVALID_REQUEST: ");
    assertThat(badClass).isEqualTo(new Run(2, "", ""
        + "abstractions: Invalid value for option '--class': unknown priority class 'urgent'; one of: "
        + "STRUCTURAL, NORMAL, LOW\n"
        + "Try 'abstractions execute --help' for more information.\n"));
    assertThat(client.entities().get(id).getVersion()).isEqualTo(2);
  }

  @Test
  void helpCommandPrintsTheSameHelpAsTheOptionAndCompletionPrintsABashScriptForEveryCommand() {
    Run help = cli("help");
    Run helpGet = cli("help", "get");
    Run completion = cli("completion");

    assertThat(help).isEqualTo(cli("--help"));
    assertThat(help.out()).contains("\n  list ", "\n  execute ", "\n  completion ", "\n  help ");
    assertThat(helpGet).isEqualTo(cli("get", "--help"));
    assertThat(completion.exitCode()).isZero();
    assertThat(completion.out()).startsWith("#!/usr/bin/env bash\n")
        .contains("function _complete_abstractions() {")
        .contains("complete -F _complete_abstractions -o default abstractions abstractions.sh abstractions.bash");
    for (String command : List.of("get", "list", "create", "update", "delete", "history", "tree", "execute", "ops",
        "watch", "demo", "completion")) {
      assertThat(completion.out()).contains("=(" + command + ")");
    }
  }

  // ---- bad input ----

  @Test
  void badArgumentsExitTwoWithAMessageAndTheHintToAskForHelp() {
    assertThat(cli("create", "Student")).isEqualTo(new Run(2, "", ""
        + "abstractions: Missing required option: '--data=JSON'\n"
        + "Try 'abstractions create --help' for more information.\n"));
    assertThat(cli("create", "Student", "--data", "{\"name\":")).isEqualTo(new Run(2, "", ""
        + "abstractions: Invalid value for option '--data': expected a JSON object such as '{\"name\":\"Ada\"}', "
        + "got '{\"name\":' (not a JSON object: End of input at line 1 column 9 path $.name)\n"
        + "Try 'abstractions create --help' for more information.\n"));
    // protobuf's JsonFormat would have stored "tru" as a string, and ignored what follows the object.
    assertThat(cli("update", UUID.randomUUID().toString(), "--expect-version", "1", "--data", "{\"done\":tru}"))
        .isEqualTo(new Run(2, "", ""
            + "abstractions: Invalid value for option '--data': expected a JSON object such as '{\"name\":\"Ada\"}', "
            + "got '{\"done\":tru}' (not a JSON object: malformed JSON at line 1 column 9 path $.done)\n"
            + "Try 'abstractions update --help' for more information.\n"));
    assertThat(cli("create", "Student", "--data", "{\"name\":\"Ada\"} {}")).isEqualTo(new Run(2, "", ""
        + "abstractions: Invalid value for option '--data': expected a JSON object such as '{\"name\":\"Ada\"}', "
        + "got '{\"name\":\"Ada\"} {}' (not a JSON object: malformed JSON at line 1 column 17 path $)\n"
        + "Try 'abstractions create --help' for more information.\n"));
    assertThat(cli("frobnicate")).isEqualTo(new Run(2, "", ""
        + "abstractions: Unmatched argument at index 0: 'frobnicate'\n"
        + "Did you mean: abstractions update or abstractions watch or abstractions delete?\n"
        + "Try 'abstractions --help' for more information.\n"));
    assertThat(cli("update", "x", "--data", "{}")).isEqualTo(new Run(2, "", ""
        + "abstractions: Missing required option: '--expect-version=N'\n"
        + "Try 'abstractions update --help' for more information.\n"));
    assertThat(cli("ops", "list", "x", "--status", "done").err())
        .startsWith("abstractions: Invalid value for option '--status' (S): unknown operation status 'done'; one of: "
            + "PENDING, RETRYING, SUCCEEDED, REJECTED, FAILED, CANCELLED\n");
    assertThat(cli("watch", "--from-oldest", "--from-sequence", "3").exitCode()).isEqualTo(2);
  }

  @Test
  void requestTheServerRefusesExitsFiveWithItsFieldViolations() {
    assertThat(cli("get", "not-a-uuid")).isEqualTo(new Run(5, "", ""
        + "abstractions: INVALID_ARGUMENT INVALID_REQUEST: lineage_id: must be a UUID (8-4-4-4-12 hex digits), "
        + "was \"not-a-uuid\"\n"
        + "  lineage_id: must be a UUID (8-4-4-4-12 hex digits), was \"not-a-uuid\"\n"));
    Run json = cli("create", "Student", "--id", "nope", "--data", "{}", "--json");
    assertThat(json.exitCode()).isEqualTo(5);
    assertThat(json.err()).contains("\"fieldViolations\":[{\"field\":\"lineage_id\",");
  }

  @Test
  void unreachableServerExitsSix() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String target = "127.0.0.1:" + closedPort;

    Run get = cliWith(Map.of(), "--target", target, "get", "7d3c1b2a-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    Run watch = cliWith(Map.of("ABSTRACTIONS_TARGET", target), "watch");

    assertThat(get.exitCode()).isEqualTo(6);
    assertThat(get.err()).isEqualTo("abstractions: UNAVAILABLE: cannot reach " + target + " (Connection refused)\n");
    assertThat(watch.exitCode()).isEqualTo(6);
    assertThat(watch.err()).startsWith("abstractions: UNAVAILABLE: cannot reach " + target + " ");
  }

  @Test
  void helpDocumentsTheExitCodesAndEveryCommandHasHelp() {
    Run help = cli("--help");

    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Exit codes:\n  0  ok\n", "\n  4  version conflict or aborted",
        "\n     (FAILED_PRECONDITION, e.g. NOT_A_ROOT: tree named a member, not",
        "\n  6  unavailable", "\n  7  events lost", "\n  8  permission denied");
    for (String command : List.of("get", "list", "create", "update", "delete", "history", "tree", "execute", "ops",
        "watch", "demo", "completion")) {
      Run commandHelp = cli(command, "--help");
      assertThat(commandHelp.exitCode()).isZero();
      assertThat(commandHelp.out()).startsWith("Usage: abstractions " + command).contains("--target=HOST:PORT");
    }
    assertThat(cli("ops", "list", "--help").out()).startsWith("Usage: abstractions ops list");
    assertThat(cli("tree", "get", "--help").out()).startsWith("Usage: abstractions tree get")
        .contains("--tree-version=N", "--serializable");
    assertThat(cli("tree", "history", "--help").out()).startsWith("Usage: abstractions tree history");
  }

  // ---- security ----

  @Test
  void tlsWithTheServersCaAndBearerTokensFromFlagOrEnvironment() throws Exception {
    TestCertificates pki = new TestCertificates(dir, "server-ca");
    TestCertificates.Issued cert = pki.issue("server");
    Path tokens = Files.writeString(dir.resolve("tokens"), "read:reader\nwrite:writer\n");
    try (TestServer secure = TestServer.start("--tls-cert", cert.certificate().toString(),
        "--tls-key", cert.key().toString(), "--auth-tokens-file", tokens.toString())) {
      String target = "localhost:" + secure.port();
      String ca = pki.caFile().toString();

      Run created = cliWith(Map.of(), "--target", target, "--tls-ca", ca, "--token", "writer",
          "create", "T", "--data", "{}", "--json");
      String id = parse(created.out(), Entity.getDefaultInstance()).getLineageId();
      Run read = cliWith(Map.of("ABSTRACTIONS_TOKEN", "reader"), "--target", target, "--tls-ca", ca, "get", id);
      Run anonymous = cliWith(Map.of(), "--target", target, "--tls-ca", ca, "get", id);
      Run readerWrites = cliWith(Map.of("ABSTRACTIONS_TOKEN", "reader"), "--target", target, "--tls-ca", ca,
          "update", id, "--expect-version", "1", "--data", "{}");

      assertThat(created.exitCode()).isZero();
      assertThat(read.exitCode()).isZero();
      assertThat(read.lines().get(0)).isEqualTo("lineage_id        " + id);
      assertThat(anonymous.exitCode()).isEqualTo(8);
      assertThat(anonymous.err()).startsWith("abstractions: UNAUTHENTICATED TOKEN_MISSING_OR_UNKNOWN: ");
      assertThat(readerWrites.exitCode()).isEqualTo(8);
      assertThat(readerWrites.err()).startsWith("abstractions: PERMISSION_DENIED WRITE_NOT_PERMITTED: ");
    }
  }

  @Test
  void tlsToAPlaintextServerOrOneWithAnUntrustedCertificateExitsSixSayingWhy() throws Exception {
    TestCertificates otherPki = new TestCertificates(dir, "other-ca");
    TestCertificates pki = new TestCertificates(dir, "server-ca");
    TestCertificates.Issued cert = pki.issue("server");
    String plaintext = "127.0.0.1:" + server.port();
    try (TestServer secure = TestServer.start("--tls-cert", cert.certificate().toString(),
        "--tls-key", cert.key().toString())) {
      String target = "localhost:" + secure.port();
      String id = "7d3c1b2a-4e5f-4a6b-8c7d-9e0f1a2b3c4d";

      Run toPlaintext = cliWith(Map.of(), "--target", plaintext, "--tls-ca", pki.caFile().toString(), "get", id);
      Run untrusted = cliWith(Map.of(), "--target", target, "--tls-ca", otherPki.caFile().toString(), "get", id);

      assertThat(toPlaintext.exitCode()).isEqualTo(6);
      assertThat(toPlaintext.err())
          .isEqualTo("abstractions: UNAVAILABLE: cannot reach " + plaintext + " (Unsupported or unrecognized SSL message)\n");
      assertThat(untrusted.exitCode()).isEqualTo(6);
      assertThat(untrusted.err()).startsWith("abstractions: UNAVAILABLE: cannot reach " + target + " (PKIX path building failed: ")
          .doesNotContain("--tls-cert");
    }
  }

  @Test
  void mutualTlsWithTheClientCertificateFromFlagsAndWithoutOneExitsSix() throws Exception {
    TestCertificates serverPki = new TestCertificates(dir, "server-ca");
    TestCertificates clientPki = new TestCertificates(dir, "client-ca");
    TestCertificates.Issued serverCert = serverPki.issue("server");
    TestCertificates.Issued clientCert = clientPki.issue("client");
    try (TestServer mutual = TestServer.start("--tls-cert", serverCert.certificate().toString(),
        "--tls-key", serverCert.key().toString(), "--tls-client-ca", clientPki.caFile().toString())) {
      String target = "localhost:" + mutual.port();
      String ca = serverPki.caFile().toString();

      Run created = cliWith(Map.of(), "--target", target, "--tls-ca", ca,
          "--tls-cert", clientCert.certificate().toString(), "--tls-key", clientCert.key().toString(),
          "create", "T", "--data", "{}", "--json");
      Run anonymous = cliWith(Map.of(), "--target", target, "--tls-ca", ca, "create", "T", "--data", "{}");
      Run keyless = cliWith(Map.of(), "--target", target, "--tls-ca", ca,
          "--tls-cert", clientCert.certificate().toString(), "create", "T", "--data", "{}");

      assertThat(created.exitCode()).as(created.err()).isZero();
      assertThat(parse(created.out(), Entity.getDefaultInstance()).getVersion()).isEqualTo(1);
      assertThat(anonymous.exitCode()).isEqualTo(6);
      // Which of these the client sees first depends on timing (see ErrorReport).
      assertThat(anonymous.err()).matches("abstractions: UNAVAILABLE: cannot reach " + Pattern.quote(target)
          + " \\((Broken pipe|Connection reset by peer|Received fatal alert: handshake_failure)\\); a server that requires a client "
          + "certificate \\(mutual TLS\\) ends the connection so: give --tls-cert and --tls-key\n");
      assertThat(keyless.exitCode()).isEqualTo(2);
      assertThat(keyless.err()).contains("--tls-cert and --tls-key go together");
    }
  }

  // ---- watch ----

  @Test
  void watchResumesAcrossCutConnectionsAndPrintsEverySequenceExactlyOnce() throws Exception {
    int batches = 3;
    int writesPerBatch = 40;
    // The creation, the batches, and one write after the last cut (so the watch is still running then).
    long total = 2 + (long) batches * writesPerBatch;
    ExecutorService watcher = Executors.newSingleThreadExecutor();
    try (TestServer eventServer = TestServer.start();
        TcpProxy proxy = new TcpProxy(eventServer.port())) {
      EntityClient writer = EntityClient.using(eventServer.channel());
      String id = writer.create("Counter", count(0)).getLineageId();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      Future<Integer> watch = watcher.submit(() -> Main.run(
          new String[] {"--target", "127.0.0.1:" + proxy.port(), "watch", "--from-sequence", "1",
              "--max-events", Long.toString(total)},
          new ByteArrayInputStream(new byte[0]), new PrintWriter(out, true), new PrintWriter(err, true), Map.of()));
      Supplier<Integer> printed = () -> (int) out.toString().chars().filter(c -> c == '\n').count();
      await().atMost(10, TimeUnit.SECONDS).until(() -> printed.get() == 1);

      long version = 1;
      for (int batch = 0; batch < batches; batch++) {
        for (int i = 0; i < writesPerBatch; i++) {
          writer.update(id, version, count(version));
          version++;
        }
        // Cut while the watch is likely still printing the batch: it resumes after what it printed.
        int connectionsBefore = proxy.accepted();
        proxy.dropConnections();
        await().atMost(10, TimeUnit.SECONDS).until(() -> proxy.accepted() > connectionsBefore);
      }
      writer.update(id, version, count(version));

      assertThat(watch.get(20, TimeUnit.SECONDS)).isZero();
      List<Long> sequences = out.toString().lines().map(line -> Long.parseLong(line.split(" ")[0])).toList();
      assertThat(sequences).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
      assertThat(out.toString().lines().skip(1))
          .allMatch(line -> line.matches(
              "\\d+ entity_versioned Counter " + id + " priority=5 v\\d+->v\\d+ changed=\\[count]"));
      assertThat(err.toString()).isEmpty();
      assertThat(proxy.accepted()).isEqualTo(1 + batches);
    } finally {
      watcher.shutdownNow();
      watcher.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void watchWithJsonPrintsOneEventObjectPerLine() throws Exception {
    try (TestServer eventServer = TestServer.start();
        AbstractionsClient local = AbstractionsClient.using(eventServer.channel())) {
      String id = local.entities().create("Counter", count(0)).getLineageId();
      local.entities().update(id, 1, count(1));

      Run run = cliWith(Map.of("ABSTRACTIONS_TARGET", "127.0.0.1:" + eventServer.port()),
          "watch", "--from-oldest", "--kind", "entity_versioned", "--include-entities", "--max-events", "1", "--json");

      assertThat(run.exitCode()).isZero();
      Event event = parse(run.out(), Event.getDefaultInstance());
      assertThat(event.getSequence()).isEqualTo(2);
      assertThat(event.getEntityVersioned().getEntity()).isEqualTo(local.entities().get(id));
    }
  }

  @Test
  void watchFromEventsTheServerNoLongerHoldsPrintsTheOldestSequenceAndExitsSeven() throws Exception {
    try (TestServer small = TestServer.start("--event-retention", "10");
        AbstractionsClient local = AbstractionsClient.using(small.channel())) {
      String id = local.entities().create("Counter", count(0)).getLineageId();
      for (long version = 1; version <= 20; version++) {
        local.entities().update(id, version, count(version));
      }

      Run run = cliWith(Map.of("ABSTRACTIONS_TARGET", "127.0.0.1:" + small.port()),
          "watch", "--from-sequence", "1", "--max-events", "5");

      assertThat(run.exitCode()).isEqualTo(7);
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).startsWith("abstractions: OUT_OF_RANGE EVENTS_NOT_RETAINED: ")
          .contains("\n  head_sequence: 21\n", "\n  oldest_sequence: 12\n");
    }
  }

  // ---- demo ----

  @Test
  void demoShowsArbitrationEachSecondAndEndsWithCountersThatMatch() {
    Run run = cli("demo", "--seconds", "2");

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    List<String> lines = run.lines();
    assertThat(lines.get(0)).isEqualTo("demo: 12 writers on 2 counters for 2 s, each incrementing a random counter "
        + "with operations().update");
    assertThat(lines).contains(
        "  LOW        4 x LOW class, priority 2, 3 retries",
        "  NORMAL     4 x NORMAL class, priority 5, 5 retries",
        "  P8         3 x NORMAL class at priority 8, 5 retries",
        "  STRUCTURAL 1 x STRUCTURAL class, priority 10, 20 retries",
        "time     LOW NORMAL     P8 STRUCT       LOW NORMAL     P8 STRUCT       LOW NORMAL     P8 STRUCT");
    assertThat(lines).anyMatch(line -> line.matches("  1s( +\\d+){12}"))
        .anyMatch(line -> line.matches("  2s( +\\d+){12}"))
        .anyMatch(line -> line.matches("CLASS +WRITERS +OPS +COMMITTED +SHED .*"))
        .anyMatch(line -> line.matches("STRUCTURAL +1 +\\d+ .*"));
    assertThat(lines.stream().filter(line -> line.startsWith("counter ")))
        .hasSize(2)
        .allMatch(line -> line.matches("counter \\S+: count (\\d+), committed increments \\1  OK"));
    assertThat(lines.get(lines.size() - 1)).isEqualTo("OK");
  }

  // ---- helpers ----

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

  private static Struct count(double n) {
    return OperationClientUpdateTest.count(n);
  }
}
