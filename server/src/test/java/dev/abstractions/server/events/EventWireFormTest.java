package dev.abstractions.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.DeleteEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.EntityCreated;
import dev.abstractions.api.v1.EntityDeleted;
import dev.abstractions.api.v1.EntityServiceGrpc;
import dev.abstractions.api.v1.EntityVersioned;
import dev.abstractions.api.v1.Event;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.server.ReflectionQueries;
import dev.abstractions.server.TestServer;
import dev.abstractions.server.core.Decider;
import dev.abstractions.server.grpc.RawCalls;
import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Events are encoded once on the server and sent as bytes: what a subscriber receives must be,
 * byte for byte, the protobuf encoding of the event the change describes, with and without
 * entities; and the service must still present itself to reflection as {@code stream Event}.
 */
class EventWireFormTest {

  /** Receives each message as the bytes on the wire, so nothing is re-encoded before comparing. */
  private static final MethodDescriptor<SubscribeRequest, byte[]> RAW_SUBSCRIBE =
      EventServiceGrpc.getSubscribeMethod()
          .toBuilder(EventServiceGrpc.getSubscribeMethod().getRequestMarshaller(), RawCalls.BYTES)
          .build();

  private static TestServer server;
  private static ManagedChannel channel;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    channel = server.newChannel();
  }

  @AfterAll
  static void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  @Test
  void subscribersReceiveTheExactEncodingOfCreatedVersionedAndDeletedWithAndWithoutEntities() throws Exception {
    EntityServiceGrpc.EntityServiceBlockingStub entities = EntityServiceGrpc.newBlockingStub(channel);
    long first = server.injector().getInstance(SubscriptionHub.class).nextSequence();
    Entity created = entities.create(CreateEntityRequest.newBuilder()
        .setEntityType("Wire")
        .setData(data("a", "1", "b", "2", "d", "4"))
        .build());
    // b changes, a goes, c comes, d stays: changed_paths are a, b, c, in key order.
    Entity updated = entities.update(UpdateEntityRequest.newBuilder()
        .setLineageId(created.getLineageId())
        .setExpectedVersion(1)
        .setData(data("d", "4", "c", "3", "b", "two"))
        .build());
    Entity deleted = entities.delete(DeleteEntityRequest.newBuilder()
        .setLineageId(created.getLineageId())
        .setExpectedVersion(2)
        .build());

    for (boolean includeEntities : new boolean[] {true, false}) {
      List<byte[]> received = receive(SubscribeRequest.newBuilder()
          .setFromSequence(first)
          .setIncludeEntities(includeEntities)
          .build(), 3);

      EntityVersioned.Builder versioned = EntityVersioned.newBuilder()
          .setOldVersion(1)
          .setNewVersion(2)
          .addChangedPaths("a")
          .addChangedPaths("b")
          .addChangedPaths("c");
      if (includeEntities) {
        versioned.setEntity(updated);
      }
      List<Event> expected = List.of(
          envelope(first, created, received.get(0))
              .setEntityCreated(EntityCreated.newBuilder().setEntity(created)).build(),
          envelope(first + 1, updated, received.get(1)).setEntityVersioned(versioned).build(),
          envelope(first + 2, deleted, received.get(2))
              .setEntityDeleted(EntityDeleted.newBuilder().setVersion(3)).build());
      for (int i = 0; i < 3; i++) {
        assertThat(received.get(i))
            .as("event %d, include_entities %s", first + i, includeEntities)
            .isEqualTo(expected.get(i).toByteArray());
      }
    }
  }

  @Test
  void reflectionDescribesSubscribeAsAServerStreamOfEvent() throws Exception {
    ServerReflectionResponse reply = ReflectionQueries.askV1(channel, ServerReflectionRequest.newBuilder()
        .setFileContainingSymbol("abstractions.v1.EventService.Subscribe")
        .build());
    List<MethodDescriptorProto> methods = new ArrayList<>();
    for (var file : reply.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      for (ServiceDescriptorProto service : FileDescriptorProto.parseFrom(file).getServiceList()) {
        if (service.getName().equals("EventService")) {
          methods.addAll(service.getMethodList());
        }
      }
    }
    assertThat(methods).singleElement().satisfies(method -> {
      assertThat(method.getName()).isEqualTo("Subscribe");
      assertThat(method.getInputType()).isEqualTo(".abstractions.v1.SubscribeRequest");
      assertThat(method.getOutputType()).isEqualTo(".abstractions.v1.Event");
      assertThat(method.getServerStreaming()).isTrue();
      assertThat(method.getClientStreaming()).isFalse();
    });
    assertThat(ReflectionQueries.listServicesV1Alpha(channel)).contains("abstractions.v1.EventService");
  }

  /** The envelope the server stamps, with the time taken from what arrived (the clock is the server's). */
  private static Event.Builder envelope(long sequence, Entity entity, byte[] received) throws IOException {
    Timestamp time = Event.parseFrom(received).getTime();
    assertThat(time.getSeconds()).isPositive();
    return Event.newBuilder()
        .setSequence(sequence)
        .setTime(time)
        .setPriority(Decider.PLAIN_WRITE_PRIORITY)
        .setTargetLineageId(entity.getLineageId())
        .setRootLineageId(entity.getLineageId())
        .setResumeToken(ResumeTokens.after(sequence))
        .setEntityType("Wire");
  }

  /** The first {@code n} messages of a subscription, which is then cancelled. */
  private static List<byte[]> receive(SubscribeRequest request, int n) throws Exception {
    try (Context.CancellableContext subscription = Context.current().withCancellation()) {
      return subscription.call(() -> {
        List<byte[]> received = new ArrayList<>();
        Iterator<byte[]> stream = ClientCalls.blockingServerStreamingCall(
            channel, RAW_SUBSCRIBE, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
        while (received.size() < n) {
          received.add(stream.next());
        }
        return received;
      });
    }
  }

  private static Struct data(String... keysAndValues) {
    Struct.Builder data = Struct.newBuilder();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      data.putFields(keysAndValues[i], Value.newBuilder().setStringValue(keysAndValues[i + 1]).build());
    }
    return data.build();
  }
}
