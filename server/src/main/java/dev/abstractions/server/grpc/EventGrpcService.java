package dev.abstractions.server.grpc;

import static dev.abstractions.server.grpc.RequestChecks.violation;

import com.google.rpc.BadRequest.FieldViolation;
import com.google.rpc.Code;
import dev.abstractions.api.v1.ErrorReason;
import dev.abstractions.api.v1.EventFilter;
import dev.abstractions.api.v1.EventKind;
import dev.abstractions.api.v1.EventServiceGrpc;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.core.Refusal;
import dev.abstractions.server.events.EncodedEvent;
import dev.abstractions.server.events.EventSink;
import dev.abstractions.server.events.ResumeTokens;
import dev.abstractions.server.events.Subscription;
import dev.abstractions.server.events.SubscriptionHub;
import dev.abstractions.server.events.SubscriptionStart;
import dev.abstractions.server.memory.MemoryBudget;
import dev.abstractions.server.store.Ids;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code EventService.Subscribe}: checks the request and hands the stream, with where it starts,
 * to the {@link SubscriptionHub}, which resolves that start against the log, sends only while the
 * stream is ready ({@code isReady}/{@code onReady}), so a slow subscriber never buffers events on
 * the server, and ends the stream with a status when it must (fell off the log, shutdown, failure).
 *
 * <p>The method is bound with a response marshaller for {@link EncodedEvent}s, so the hub encodes
 * each event once for all its subscribers instead of once per stream. The descriptor is the
 * generated one with only that marshaller replaced: the method name, the schema that server
 * reflection reports and the bytes on the wire are those of {@code stream Event}.
 */
@Singleton
public final class EventGrpcService implements BindableService {

  private final SubscriptionHub hub;
  private final int maxSubscribers;
  private final int maxSubscribersPerClient;
  private final MemoryBudget budget;

  @Inject
  public EventGrpcService(SubscriptionHub hub, ServerConfig config, MemoryBudget budget) {
    this.hub = hub;
    this.maxSubscribers = config.maxSubscribers();
    this.maxSubscribersPerClient = config.maxSubscribersPerClient();
    this.budget = budget;
  }

  @Override
  public ServerServiceDefinition bindService() {
    MethodDescriptor<SubscribeRequest, EncodedEvent> subscribe = EventServiceGrpc.getSubscribeMethod()
        .toBuilder(EventServiceGrpc.getSubscribeMethod().getRequestMarshaller(), EncodedEventMarshaller.INSTANCE)
        .build();
    ServiceDescriptor service = ServiceDescriptor.newBuilder(EventServiceGrpc.SERVICE_NAME)
        .setSchemaDescriptor(EventServiceGrpc.getServiceDescriptor().getSchemaDescriptor())
        .addMethod(subscribe)
        .build();
    return ServerServiceDefinition.builder(service)
        .addMethod(subscribe, ServerCalls.asyncServerStreamingCall(this::subscribe))
        .build();
  }

  private void subscribe(SubscribeRequest request, StreamObserver<EncodedEvent> responseObserver) {
    List<FieldViolation> violations = check(request);
    if (!violations.isEmpty()) {
      responseObserver.onError(Statuses.invalidArgument(violations));
      return;
    }
    ServerCallStreamObserver<EncodedEvent> stream = (ServerCallStreamObserver<EncodedEvent>) responseObserver;
    AtomicReference<Subscription> subscription = new AtomicReference<>();
    // Handlers first: once subscribed, the dispatcher thread owns the stream.
    stream.setOnReadyHandler(hub::streamReady);
    stream.setOnCancelHandler(() -> {
      if (subscription.get() != null) {
        hub.unsubscribe(subscription.get());
      }
    });
    SubscriptionHub.Started started =
        hub.subscribe(normalized(request.getFilter()), request.getIncludeEntities(), start(request),
            new StreamSink(stream), Callers.current().id());
    if (started.refusal() != null) {
      stream.onError(switch (started.refusal()) {
        case OUT_OF_RANGE -> Statuses.error(Code.OUT_OF_RANGE, ErrorReason.EVENTS_NOT_RETAINED.name(),
            "start sequence " + started.startSequence() + " is outside the retained events "
                + started.oldestSequence() + ".." + (started.headSequence() + 1),
            Map.of("oldest_sequence", Long.toString(started.oldestSequence()),
                "head_sequence", Long.toString(started.headSequence())));
        case TOO_MANY_SUBSCRIBERS -> Statuses.error(Code.RESOURCE_EXHAUSTED, ErrorReason.SUBSCRIBER_LIMIT.name(),
            "the server already serves " + maxSubscribers + " subscribers",
            Map.of("max_subscribers", Integer.toString(maxSubscribers)));
        case SHUTTING_DOWN -> shuttingDown();
        case MEMORY_BUDGET -> Statuses.refused(Refusal.memory(budget.used(), budget.limit()));
        case CLIENT_SHARE -> Statuses.error(Code.RESOURCE_EXHAUSTED, ErrorReason.SUBSCRIBER_LIMIT.name(),
            "this client already holds its share of the server's subscribers (" + maxSubscribersPerClient
                + ", --max-client-share)",
            Map.of("max_subscribers_per_client", Integer.toString(maxSubscribersPerClient)));
      });
      return;
    }
    subscription.set(started.subscription());
    if (stream.isCancelled()) {
      hub.unsubscribe(started.subscription());
    }
  }

  /** Where the request starts; the hub resolves "oldest" and "now" against the log. */
  private static SubscriptionStart start(SubscribeRequest request) {
    return switch (request.getStartCase()) {
      case FROM_SEQUENCE -> SubscriptionStart.at(request.getFromSequence());
      case RESUME_TOKEN -> SubscriptionStart.at(ResumeTokens.sequenceAfter(request.getResumeToken()) + 1);
      case FROM_OLDEST -> SubscriptionStart.oldest();
      case FROM_NOW, START_NOT_SET -> SubscriptionStart.now();
    };
  }

  static List<FieldViolation> check(SubscribeRequest request) {
    List<FieldViolation> violations = new ArrayList<>(0);
    EventFilter filter = request.getFilter();
    int entries = filter.getKindsCount() + filter.getLineageIdsCount() + filter.getEntityTypesCount()
        + filter.getOpIdsCount() + filter.getRootLineageIdsCount();
    if (entries > RequestLimits.MAX_FILTER_ENTRIES) {
      // Each entry costs the server memory for as long as the stream lives: bounded per request.
      violations.add(violation("filter", "lists " + entries + " kinds, ids and types together, more than "
          + RequestLimits.MAX_FILTER_ENTRIES));
      return violations;
    }
    for (int i = 0; i < filter.getKindsCount(); i++) {
      EventKind kind = filter.getKinds(i);
      if (kind == EventKind.UNRECOGNIZED || kind == EventKind.EVENT_KIND_UNSPECIFIED) {
        violations.add(violation("filter.kinds[" + i + "]", "must be a known event kind, was " + filter.getKindsValue(i)));
      }
    }
    for (int i = 0; i < filter.getLineageIdsCount(); i++) {
      RequestChecks.lineageId("filter.lineage_ids[" + i + "]", filter.getLineageIds(i), violations);
    }
    for (int i = 0; i < filter.getOpIdsCount(); i++) {
      RequestChecks.lineageId("filter.op_ids[" + i + "]", filter.getOpIds(i), violations);
    }
    for (int i = 0; i < filter.getRootLineageIdsCount(); i++) {
      RequestChecks.lineageId("filter.root_lineage_ids[" + i + "]", filter.getRootLineageIds(i), violations);
    }
    if (filter.getMinPriority() < 0 || filter.getMinPriority() > 10) {
      violations.add(violation("filter.min_priority", "must be 0..10, was " + filter.getMinPriority()));
    }
    if (request.getStartCase() == SubscribeRequest.StartCase.FROM_SEQUENCE && request.getFromSequence() < 1) {
      violations.add(violation("from_sequence", "must be 1 or more, was " + request.getFromSequence()));
    }
    if (request.getStartCase() == SubscribeRequest.StartCase.RESUME_TOKEN
        && ResumeTokens.sequenceAfter(request.getResumeToken()) < 0) {
      violations.add(violation("resume_token", "is not a token from an event of this server"));
    }
    return violations;
  }

  private static StatusRuntimeException shuttingDown() {
    return Statuses.error(Code.UNAVAILABLE, ErrorReason.SHUTTING_DOWN.name(),
        "the server is shutting down; resume with the last resume_token", Map.of());
  }

  /** The filter with ids in canonical form, as events carry them. */
  static EventFilter normalized(EventFilter filter) {
    EventFilter.Builder canonical = filter.toBuilder().clearLineageIds().clearOpIds().clearRootLineageIds();
    filter.getLineageIdsList().forEach(id -> canonical.addLineageIds(Ids.canonical(id)));
    filter.getRootLineageIdsList().forEach(id -> canonical.addRootLineageIds(Ids.canonical(id)));
    filter.getOpIdsList().forEach(id -> canonical.addOpIds(Ids.canonical(id)));
    return canonical.build();
  }

  /** The stream as the hub sees it. */
  private record StreamSink(ServerCallStreamObserver<EncodedEvent> stream) implements EventSink {

    @Override
    public boolean isReady() {
      return stream.isReady() && !stream.isCancelled();
    }

    @Override
    public void deliver(EncodedEvent event) {
      stream.onNext(event);
    }

    @Override
    public void endFellBehind(long resumeSequence, long oldestSequence) {
      stream.onError(Statuses.error(Code.OUT_OF_RANGE, ErrorReason.EVENTS_NOT_RETAINED.name(),
          "this subscriber fell behind: event " + resumeSequence + " left the log (oldest is " + oldestSequence + ")",
          Map.of("resume_sequence", Long.toString(resumeSequence), "oldest_sequence", Long.toString(oldestSequence))));
    }

    @Override
    public void endShutdown() {
      stream.onError(shuttingDown());
    }

    @Override
    public void endFailed() {
      stream.onError(Status.INTERNAL
          .withDescription("the server failed to send this stream an event; resubscribe from the last resume_token")
          .asRuntimeException());
    }
  }
}
