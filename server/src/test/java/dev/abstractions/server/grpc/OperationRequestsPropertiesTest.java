package dev.abstractions.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Injector;
import com.google.protobuf.Duration;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.BeginOperationRequest;
import dev.abstractions.api.v1.BeginOperationResponse;
import dev.abstractions.api.v1.EventFilter;
import dev.abstractions.api.v1.ExecuteRequest;
import dev.abstractions.api.v1.ExecuteResponse;
import dev.abstractions.api.v1.SubscribeRequest;
import dev.abstractions.server.ServerModules;
import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.core.Actor;
import dev.abstractions.server.core.Refusal;
import dev.abstractions.server.core.StructBytes;
import dev.abstractions.server.events.EncodedEvent;
import dev.abstractions.server.events.EventSink;
import dev.abstractions.server.events.SubscriptionHub;
import dev.abstractions.server.events.SubscriptionStart;
import dev.abstractions.server.ops.CommandDriver;
import dev.abstractions.server.ops.Outcome;
import dev.abstractions.server.ops.functions.ServerFunction;
import dev.abstractions.server.store.Ids;
import dev.abstractions.server.store.RequestKey;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the operation and subscription request checks, as {@code EntityRequestsPropertiesTest}
 * does the entity ones: whatever passes them must apply without failing, ending in an answer or
 * a refusal the server expects, never an exception.
 */
class OperationRequestsPropertiesTest {

  /** What a well-formed request may still meet on this server: a missing parent, a full budget. */
  private static final Set<Refusal.Kind> EXPECTED_REFUSALS = EnumSet.of(Refusal.Kind.NO_PARENT,
      Refusal.Kind.PARENT_CHAIN_TOO_DEEP, Refusal.Kind.NO_LINEAGE, Refusal.Kind.TOO_MANY_OPERATIONS);

  private static final Actor CALLER = new Actor("property", false, false);

  private final Injector injector = ServerModules.injector(ServerConfig.parse("--store", "memory"));
  private final CommandDriver driver = injector.getInstance(CommandDriver.class);
  private final Map<String, ServerFunction> functions =
      injector.getInstance(com.google.inject.Key.get(new com.google.inject.TypeLiteral<Map<String, ServerFunction>>() {}));
  private final OperationRequests requests = new OperationRequests(4096, 100, functions);
  private final String target = created();

  private String created() {
    Struct data = Struct.newBuilder().putFields("n", Value.newBuilder().setNumberValue(1).build())
        .putFields("list", Value.newBuilder().setListValue(com.google.protobuf.ListValue.getDefaultInstance()).build())
        .build();
    return driver.create(RequestKey.NONE, Ids.newId(), "", "T", StructBytes.of(data)).join().value().lineageId();
  }

  @Property(tries = 400)
  void whateverPassesBeginChecksBeginsOrIsRefusedAsExpected(@ForAll("begins") BeginOperationRequest request) {
    if (!requests.checkBegin(request).isEmpty()) {
      return;
    }
    Outcome<BeginOperationResponse> begun = driver.begin(RequestKey.NONE, OperationRequests.spec(request), () -> true, CALLER).join();
    if (begun.ok()) {
      assertThat(begun.value().getSnapshot().getLineageId()).isEqualTo(Ids.canonical(request.getTargetLineageId()));
      assertThat(begun.value().getOperation().getEffectivePriority())
          .isGreaterThanOrEqualTo(begun.value().getOperation().getPriority());
    } else {
      assertThat(begun.refusal().kind()).isIn(EXPECTED_REFUSALS);
    }
  }

  @Property(tries = 400)
  void whateverPassesExecuteChecksEndsInAnOutcome(@ForAll("executes") ExecuteRequest request) {
    if (!requests.checkExecute(request).isEmpty()) {
      return;
    }
    Outcome<ExecuteResponse> executed =
        driver.execute(RequestKey.NONE, OperationRequests.spec(request), request.getFunction(), request.getArgs(), "", CALLER)
            .join();
    if (executed.ok()) {
      assertThat(executed.value().getOutcome().getNumber()).isPositive();
    } else {
      assertThat(executed.refusal().kind()).isIn(EXPECTED_REFUSALS);
    }
  }

  @Property(tries = 300)
  void whateverPassesSubscribeChecksSubscribes(@ForAll("filters") EventFilter filter) {
    SubscribeRequest request = SubscribeRequest.newBuilder().setFilter(filter).setFromNow(true).build();
    if (!EventGrpcService.check(request).isEmpty()) {
      return;
    }
    SubscriptionHub hub = injector.getInstance(SubscriptionHub.class);
    SubscriptionHub.Started started =
        hub.subscribe(EventGrpcService.normalized(filter), false, SubscriptionStart.now(), IGNORING, "test-client");
    assertThat(started.refusal()).isNull();
    hub.unsubscribe(started.subscription());
  }

  @Provide
  Arbitrary<BeginOperationRequest> begins() {
    return Combinators.combine(targets(), classes(), Arbitraries.integers().between(-1, 12),
            Arbitraries.integers().between(-1, 120), Arbitraries.strings().ofMaxLength(80), parents(), ttls())
        .as((t, cls, priority, retries, opType, parent, ttl) -> {
          BeginOperationRequest.Builder begin = BeginOperationRequest.newBuilder()
              .setTargetLineageId(t).setPriorityClassValue(cls).setOpType(opType).setParentOpId(parent).setTtl(ttl);
          if (priority >= 0) {
            begin.setPriority(priority);
          }
          if (retries >= 0) {
            begin.setMaxRetries(retries);
          }
          return begin.build();
        });
  }

  @Provide
  Arbitrary<ExecuteRequest> executes() {
    Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of(functions.keySet()), Arbitraries.strings().ofMaxLength(10));
    Arbitrary<Struct> args = Arbitraries.of(
        Struct.getDefaultInstance(),
        struct("path", Value.newBuilder().setStringValue("n").build()),
        struct("path", Value.newBuilder().setStringValue("list").build()),
        struct("path", Value.newBuilder().setStringValue("").build()),
        struct("by", Value.newBuilder().setNumberValue(2).build()),
        struct("value", Value.newBuilder().setStringValue("v").build()));
    return Combinators.combine(targets(), classes(), names, args, ttls())
        .as((t, cls, name, arguments, ttl) -> ExecuteRequest.newBuilder().setTargetLineageId(t)
            .setPriorityClassValue(cls).setFunction(name).setArgs(arguments).setTtl(ttl).build());
  }

  @Provide
  Arbitrary<EventFilter> filters() {
    Arbitrary<List<Integer>> kinds = Arbitraries.integers().between(-1, 25).list().ofMaxSize(5);
    Arbitrary<List<String>> ids = Arbitraries.oneOf(Arbitraries.create(Ids::newId),
        Arbitraries.create(() -> Ids.newId().toUpperCase()), Arbitraries.strings().ofMaxLength(40)).list().ofMaxSize(4);
    Arbitrary<List<String>> types = Arbitraries.strings().ofMaxLength(20).list().ofMaxSize(3);
    return Combinators.combine(kinds, ids, types, ids, Arbitraries.integers().between(-2, 12))
        .as((k, lineages, t, ops, min) -> {
          EventFilter.Builder filter = EventFilter.newBuilder().addAllLineageIds(lineages).addAllEntityTypes(t)
              .addAllOpIds(ops).setMinPriority(min);
          k.forEach(filter::addKindsValue);
          return filter.build();
        });
  }

  private Arbitrary<String> targets() {
    return Arbitraries.oneOf(Arbitraries.just(target), Arbitraries.just(target.toUpperCase()),
        Arbitraries.create(Ids::newId), Arbitraries.strings().ofMaxLength(40));
  }

  private static Arbitrary<Integer> classes() {
    return Arbitraries.integers().between(0, 4);
  }

  private Arbitrary<String> parents() {
    return Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.create(Ids::newId),
        Arbitraries.strings().ofMaxLength(40));
  }

  private static Arbitrary<Duration> ttls() {
    return Arbitraries.longs().between(-5, 7200).map(seconds -> Duration.newBuilder().setSeconds(seconds).build());
  }

  private static Struct struct(String key, Value value) {
    return Struct.newBuilder().putFields(key, value).build();
  }

  /** A stream that takes nothing: the property is about starting, not delivering. */
  private static final EventSink IGNORING = new EventSink() {
    @Override
    public boolean isReady() {
      return false;
    }

    @Override
    public void deliver(EncodedEvent event) {}

    @Override
    public void endFellBehind(long resumeSequence, long oldestSequence) {}

    @Override
    public void endShutdown() {}

    @Override
    public void endFailed() {}
  };
}
