package dev.abstractions.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.abstractions.api.v1.Entity;
import dev.abstractions.client.EntityClient;
import dev.abstractions.client.EntityNotFoundException;
import dev.abstractions.client.EntityServiceException;
import dev.abstractions.client.Structs;
import dev.abstractions.client.VersionConflictException;
import dev.abstractions.server.TestServer;
import io.grpc.Status;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The async forms of {@link EntityClient}: each returns what its blocking form returns and fails
 * with the same typed exception, reason and details.
 */
class EntityClientAsyncTest {

  private static TestServer server;
  private static EntityClient client;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    client = EntityClient.using(server.channel());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.close();
  }

  @Test
  void asyncCallsReturnWhatTheBlockingOnesReturn() throws Exception {
    Entity created = await(client.createAsync("Listed", Structs.fromJson("{\"name\":\"Ada\"}")));
    assertThat(created.getVersion()).isEqualTo(1);
    assertThat(created.getEntityType()).isEqualTo("Listed");
    assertThat(client.get(created.getLineageId())).isEqualTo(created);
    Entity named = await(client.createAsync("0b7e3b8e-57a6-4d2a-9f3c-1c4f2a6d9e01", "Listed", Structs.fromJson("{}")));
    assertThat(named.getLineageId()).isEqualTo("0b7e3b8e-57a6-4d2a-9f3c-1c4f2a6d9e01");

    Entity updated = await(client.updateAsync(created.getLineageId(), 1, Structs.fromJson("{\"name\":\"Grace\"}")));
    assertThat(updated.getVersion()).isEqualTo(2);
    assertThat(updated.getData()).isEqualTo(Structs.fromJson("{\"name\":\"Grace\"}"));
    assertThat(await(client.getAsync(created.getLineageId()))).isEqualTo(updated).isEqualTo(client.get(created.getLineageId()));
    assertThat(await(client.getAsync(created.getLineageId(), 1))).isEqualTo(created);

    assertThat(await(client.listAsync("Listed", 10, ""))).isEqualTo(client.list("Listed", 10, ""));
    assertThat(await(client.listAsync("Listed", 10, "")).getEntitiesList()).hasSize(2);
    assertThat(await(client.historyAsync(created.getLineageId(), 10, "")).getVersionsList())
        .containsExactly(created, updated);

    Entity tombstone = await(client.deleteAsync(created.getLineageId(), 2));
    assertThat(tombstone.getVersion()).isEqualTo(3);
    assertThat(tombstone.getDeleted()).isTrue();
    assertThat(await(client.historyAsync(created.getLineageId(), 10, "")))
        .isEqualTo(client.history(created.getLineageId(), 10, ""));
  }

  @Test
  void asyncCallsFailWithTheSameTypedExceptionsAsTheBlockingOnes() throws Exception {
    Entity created = client.create("Pupil", Structs.fromJson("{}"));
    client.update(created.getLineageId(), 1, Structs.fromJson("{\"n\":1}"));

    VersionConflictException conflict = (VersionConflictException) failureOf(
        client.updateAsync(created.getLineageId(), 1, Structs.fromJson("{\"n\":2}")));
    assertThat(conflict.currentVersion()).isEqualTo(2);
    assertSameFailure(conflict, catchThrowable(() -> client.update(created.getLineageId(), 1, Structs.fromJson("{}"))));
    assertSameFailure(failureOf(client.deleteAsync(created.getLineageId(), 1)),
        catchThrowable(() -> client.delete(created.getLineageId(), 1)));

    String unknown = "9d2c1f0e-3b4a-4c5d-8e6f-7a8b9c0d1e2f";
    Throwable notFound = failureOf(client.getAsync(unknown));
    assertThat(notFound).isInstanceOf(EntityNotFoundException.class);
    assertThat(((EntityServiceException) notFound).reason()).isEqualTo("ENTITY_NOT_FOUND");
    assertSameFailure(notFound, catchThrowable(() -> client.get(unknown)));
    assertSameFailure(failureOf(client.getAsync(created.getLineageId(), 9)),
        catchThrowable(() -> client.get(created.getLineageId(), 9)));
    assertSameFailure(failureOf(client.historyAsync(unknown, 10, "")),
        catchThrowable(() -> client.history(unknown, 10, "")));

    Throwable exists = failureOf(client.createAsync(created.getLineageId(), "Pupil", Structs.fromJson("{}")));
    assertThat(((EntityServiceException) exists).code()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertSameFailure(exists, catchThrowable(() -> client.create(created.getLineageId(), "Pupil", Structs.fromJson("{}"))));

    Throwable invalid = failureOf(client.getAsync("not-a-uuid"));
    assertThat(((EntityServiceException) invalid).code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(((EntityServiceException) invalid).fieldViolations()).isNotEmpty();
    assertSameFailure(invalid, catchThrowable(() -> client.get("not-a-uuid")));
    assertSameFailure(failureOf(client.listAsync("Pupil", -1, "")), catchThrowable(() -> client.list("Pupil", -1, "")));
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(10, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
    try {
      future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("the call succeeded");
  }

  private static void assertSameFailure(Throwable async, Throwable blocking) {
    assertThat(async).isInstanceOf(EntityServiceException.class);
    assertThat(blocking).isNotNull();
    assertThat(async.getClass()).isEqualTo(blocking.getClass());
    EntityServiceException a = (EntityServiceException) async;
    EntityServiceException b = (EntityServiceException) blocking;
    assertThat(a.code()).isEqualTo(b.code());
    assertThat(a.reason()).isEqualTo(b.reason());
    assertThat(a.metadata()).isEqualTo(b.metadata());
    assertThat(a.fieldViolations()).isEqualTo(b.fieldViolations());
    assertThat(a.getMessage()).isEqualTo(b.getMessage());
  }
}
