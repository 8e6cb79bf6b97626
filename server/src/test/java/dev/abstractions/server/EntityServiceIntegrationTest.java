package dev.abstractions.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityHistoryResponse;
import dev.abstractions.api.v1.ListEntitiesResponse;
import dev.abstractions.client.EntityClient;
import dev.abstractions.client.EntityNotFoundException;
import dev.abstractions.client.EntityServiceException;
import dev.abstractions.client.Structs;
import dev.abstractions.client.VersionConflictException;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Entity API end to end: the Java client, a real Netty channel, a real server. */
class EntityServiceIntegrationTest {

  private static TestServer server;
  private static EntityClient client;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start("--history-limit", "5");
    client = EntityClient.using(server.channel());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void createGetUpdateAndStaleUpdateFollowTheVersionCounter() {
    Entity created = client.create("Student", Structs.fromJson("{\"name\":\"Ada\",\"credits\":3}"));
    assertThat(created.getVersion()).isEqualTo(1);
    assertThat(created.getPreviousEcsId()).isEmpty();
    assertThat(created.getEntityType()).isEqualTo("Student");
    assertThat(created.getLineageId()).matches("[0-9a-f-]{36}");
    assertThat(created.getCreatedAt()).isEqualTo(created.getModifiedAt());

    assertThat(client.get(created.getLineageId())).isEqualTo(created);

    Entity updated = client.update(created.getLineageId(), 1, Structs.fromJson("{\"name\":\"Ada\",\"credits\":4}"));
    assertThat(updated.getVersion()).isEqualTo(2);
    assertThat(updated.getPreviousEcsId()).isEqualTo(created.getEcsId());
    assertThat(updated.getEcsId()).isNotEqualTo(created.getEcsId());
    assertThat(updated.getLastModifiedNs()).isGreaterThan(created.getLastModifiedNs());
    assertThat(updated.getCreatedAt()).isEqualTo(created.getCreatedAt());
    assertThat(updated.getData()).isEqualTo(Structs.fromJson("{\"name\":\"Ada\",\"credits\":4}"));

    assertThatThrownBy(() -> client.update(created.getLineageId(), 1, Struct.getDefaultInstance()))
        .isInstanceOfSatisfying(VersionConflictException.class, conflict -> {
          assertThat(conflict.code()).isEqualTo(Status.Code.ABORTED);
          assertThat(conflict.reason()).isEqualTo("VERSION_CONFLICT");
          assertThat(conflict.currentVersion()).isEqualTo(2);
          assertThat(conflict.currentEcsId()).isEqualTo(updated.getEcsId());
        });
    assertThat(client.get(created.getLineageId())).isEqualTo(updated);
  }

  @Test
  void historyListsEveryVersionInOrderAcrossPages() {
    Entity v1 = client.create("Counter", counter(0));
    List<Entity> written = new ArrayList<>(List.of(v1));
    for (int i = 1; i < 5; i++) {
      written.add(client.update(v1.getLineageId(), i, counter(i)));
    }

    EntityHistoryResponse first = client.history(v1.getLineageId(), 2, "");
    EntityHistoryResponse second = client.history(v1.getLineageId(), 2, first.getNextPageToken());
    EntityHistoryResponse last = client.history(v1.getLineageId(), 2, second.getNextPageToken());

    List<Entity> read = new ArrayList<>();
    read.addAll(first.getVersionsList());
    read.addAll(second.getVersionsList());
    read.addAll(last.getVersionsList());
    assertThat(read).containsExactlyElementsOf(written);
    assertThat(last.getNextPageToken()).isEmpty();
    assertThat(first.getOldestRetainedVersion()).isEqualTo(1);
  }

  @Test
  void versionsBeyondTheHistoryLimitAreReportedOutOfRange() {
    Entity v1 = client.create("Counter", counter(0));
    for (int i = 1; i < 7; i++) {
      client.update(v1.getLineageId(), i, counter(i));
    }

    EntityHistoryResponse history = client.history(v1.getLineageId(), 0, "");
    assertThat(history.getVersionsList()).extracting(Entity::getVersion).containsExactly(3L, 4L, 5L, 6L, 7L);
    assertThat(history.getOldestRetainedVersion()).isEqualTo(3);
    assertThat(client.get(v1.getLineageId(), 3).getData()).isEqualTo(counter(2));
    assertThatThrownBy(() -> client.get(v1.getLineageId(), 2))
        .isInstanceOfSatisfying(EntityServiceException.class, e -> {
          assertThat(e.code()).isEqualTo(Status.Code.OUT_OF_RANGE);
          assertThat(e.reason()).isEqualTo("VERSION_NOT_RETAINED");
          assertThat(e.metadata()).containsEntry("oldest_retained_version", "3");
        });
    assertThatThrownBy(() -> client.get(v1.getLineageId(), 8))
        .isInstanceOfSatisfying(EntityNotFoundException.class, e -> {
          assertThat(e.reason()).isEqualTo("VERSION_NOT_FOUND");
          assertThat(e.metadata()).containsEntry("current_version", "7");
        });
  }

  @Test
  void deleteWritesATombstoneThatGetByVersionStillReturns() {
    Entity v1 = client.create("Student", Structs.fromJson("{\"name\":\"Grace\"}"));
    Entity tombstone = client.delete(v1.getLineageId(), 1);
    assertThat(tombstone.getDeleted()).isTrue();
    assertThat(tombstone.getVersion()).isEqualTo(2);
    assertThat(tombstone.getPreviousEcsId()).isEqualTo(v1.getEcsId());
    assertThat(tombstone.getData()).isEqualTo(v1.getData());

    assertThatThrownBy(() -> client.get(v1.getLineageId()))
        .isInstanceOfSatisfying(EntityNotFoundException.class, e -> {
          assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND);
          assertThat(e.deleted()).isTrue();
          assertThat(e.metadata()).containsEntry("deleted_version", "2");
        });
    assertThat(client.get(v1.getLineageId(), 2)).isEqualTo(tombstone);
    assertThat(client.get(v1.getLineageId(), 1)).isEqualTo(v1);
    assertThatThrownBy(() -> client.update(v1.getLineageId(), 2, counter(1)))
        .isInstanceOfSatisfying(EntityNotFoundException.class, e -> assertThat(e.deleted()).isTrue());
    assertThatThrownBy(() -> client.create(v1.getLineageId(), "Student", counter(1)))
        .isInstanceOfSatisfying(EntityServiceException.class, e -> {
          assertThat(e.code()).isEqualTo(Status.Code.ALREADY_EXISTS);
          assertThat(e.reason()).isEqualTo("ENTITY_ALREADY_EXISTS");
        });
  }

  @Test
  void createWithAClientIdIsCanonicalisedAndDuplicatesAreRefused() {
    String id = "0B5E3C1A-7D2F-4E8B-9A6C-1D2E3F4A5B6C";
    Entity created = client.create(id, "Course", counter(1));
    assertThat(created.getLineageId()).isEqualTo(id.toLowerCase());
    assertThat(client.get(id).getEcsId()).isEqualTo(created.getEcsId());
    assertThatThrownBy(() -> client.create(id.toLowerCase(), "Course", counter(2)))
        .isInstanceOfSatisfying(EntityServiceException.class, e -> {
          assertThat(e.code()).isEqualTo(Status.Code.ALREADY_EXISTS);
          assertThat(e.metadata()).containsEntry("current_version", "1");
        });
    assertThat(client.get(id).getData()).isEqualTo(counter(1));
  }

  @Test
  void listPagesThroughLiveEntitiesOfOneTypeInLineageOrder() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(client.create("Listed", counter(i)).getLineageId());
    }
    client.create("Unlisted", counter(9));
    client.delete(ids.remove(2), 1);
    ids.sort(null);

    ListEntitiesResponse first = client.list("Listed", 3, "");
    ListEntitiesResponse second = client.list("Listed", 3, first.getNextPageToken());
    assertThat(first.getEntitiesList()).extracting(Entity::getLineageId).containsExactlyElementsOf(ids.subList(0, 3));
    assertThat(second.getEntitiesList()).extracting(Entity::getLineageId).containsExactlyElementsOf(ids.subList(3, 4));
    assertThat(second.getNextPageToken()).isEmpty();
    assertThat(client.list("Nobody", 0, "").getEntitiesList()).isEmpty();
  }

  @Test
  void healthReportsServingForTheServerAndTheEntityService() {
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(server.channel());
    assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
    assertThat(health.check(HealthCheckRequest.newBuilder().setService("abstractions.v1.EntityService").build())
        .getStatus()).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void reflectionListsTheEntityServiceInBothVersions() throws Exception {
    assertThat(ReflectionQueries.listServicesV1(server.channel())).contains("abstractions.v1.EntityService", "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection");
    assertThat(ReflectionQueries.listServicesV1Alpha(server.channel())).contains("abstractions.v1.EntityService");
  }

  private static Struct counter(int value) {
    return Structs.fromJson("{\"count\":" + value + "}");
  }
}
