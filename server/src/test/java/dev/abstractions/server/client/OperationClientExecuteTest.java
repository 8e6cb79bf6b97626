package dev.abstractions.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.OperationEntity;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.client.AbstractionsClient;
import dev.abstractions.client.OperationFailedException;
import dev.abstractions.client.OperationOptions;
import dev.abstractions.client.Structs;
import dev.abstractions.server.TestServer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code OperationClient.execute}: server-side functions and how their outcomes surface. */
class OperationClientExecuteTest {

  private static TestServer server;
  private static AbstractionsClient client;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    client = AbstractionsClient.using(server.channel());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    server.close();
  }

  @Test
  void executeIncrementCommitsAVersionDerivedFromTheFunctionAndItsOperation() {
    Entity created = client.entities().create("Student", Structs.fromJson("{\"name\":\"Ada\",\"credits\":3}"));

    Entity incremented = client.operations().execute(created.getLineageId(), "increment",
        Structs.fromJson("{\"path\":\"credits\",\"by\":2}"), PriorityClass.NORMAL);

    assertThat(incremented.getVersion()).isEqualTo(2);
    assertThat(incremented.getData()).isEqualTo(Structs.fromJson("{\"name\":\"Ada\",\"credits\":5}"));
    assertThat(incremented.getDerivedFromFunction()).isEqualTo("increment");
    OperationEntity operation = client.operations().getOperation(incremented.getDerivedFromOpId());
    assertThat(operation.getStatus()).isEqualTo(OperationStatus.SUCCEEDED);
    assertThat(operation.getCommittedVersion()).isEqualTo(2);
    assertThat(operation.getPriorityClass()).isEqualTo(PriorityClass.NORMAL);
  }

  @Test
  void executeWithOptionsRunsUnderTheGivenPriorityAndType() throws Exception {
    Entity created = client.entities().create("Student", Structs.fromJson("{\"credits\":3}"));

    Entity incremented = client.operations().executeAsync(created.getLineageId(), "increment",
        Structs.fromJson("{\"path\":\"credits\"}"),
        OperationOptions.builder(PriorityClass.STRUCTURAL).priority(9).opType("grade").build())
        .get(10, TimeUnit.SECONDS);

    assertThat(incremented.getData()).isEqualTo(Structs.fromJson("{\"credits\":4}"));
    OperationEntity operation = client.operations().getOperation(incremented.getDerivedFromOpId());
    assertThat(operation.getPriority()).isEqualTo(9);
    assertThat(operation.getEffectivePriority()).isEqualTo(9);
    assertThat(operation.getOpType()).isEqualTo("grade");
  }

  @Test
  void executeWhoseFunctionFailsThrowsOperationFailedWithTheServersMessageAndWritesNothing() {
    Entity created = client.entities().create("Student", Structs.fromJson("{\"name\":\"Ada\",\"credits\":3}"));

    assertThatThrownBy(() -> client.operations().execute(created.getLineageId(), "increment",
        Structs.fromJson("{\"path\":\"name\"}"), PriorityClass.NORMAL))
        .isInstanceOfSatisfying(OperationFailedException.class, e -> {
          assertThat(e.failureMessage()).isEqualTo("\"name\" holds a string, not a number");
          assertThat(e.operation().getStatus()).isEqualTo(OperationStatus.FAILED);
          assertThat(e.operation().getTargetLineageId()).isEqualTo(created.getLineageId());
        });
    assertThat(client.entities().get(created.getLineageId())).isEqualTo(created);
  }

  @Test
  void asyncExecuteWhoseFunctionFailsCompletesWithOperationFailed() {
    Entity created = client.entities().create("Student", Structs.fromJson("{\"name\":\"Ada\"}"));

    assertThat(client.operations().executeAsync(created.getLineageId(), "increment",
        Structs.fromJson("{\"path\":\"name\"}"), PriorityClass.LOW))
        .failsWithin(10, TimeUnit.SECONDS).withThrowableThat().havingCause()
        .isInstanceOfSatisfying(OperationFailedException.class,
            e -> assertThat(e.failureMessage()).isEqualTo("\"name\" holds a string, not a number"));
    assertThat(client.entities().get(created.getLineageId())).isEqualTo(created);
  }
}
