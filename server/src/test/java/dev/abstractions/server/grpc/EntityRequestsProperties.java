package dev.abstractions.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.client.Structs;
import dev.abstractions.server.store.Ids;
import dev.abstractions.server.store.InMemoryEntityStore;
import dev.abstractions.server.store.Provenance;
import dev.abstractions.server.store.StoreSettings;
import dev.abstractions.server.store.WriteResult;
import java.time.Clock;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the request checks (as etcd's validation fuzz test does): whatever passes them must apply
 * to the store without failing and come back JSON-printable.
 */
class EntityRequestsProperties {

  private final EntityRequests requests = new EntityRequests(new RequestLimits(4096));
  private final InMemoryEntityStore store = new InMemoryEntityStore(Clock.systemUTC(), new StoreSettings(4));

  @Property(tries = 500)
  void whateverPassesCreateChecksIsStoredAndPrintable(
      @ForAll("lineageIds") String lineageId, @ForAll("entityTypes") String type, @ForAll("data") Struct data) {
    CreateEntityRequest request =
        CreateEntityRequest.newBuilder().setLineageId(lineageId).setEntityType(type).setData(data).build();
    if (!requests.checkCreate(request).isEmpty()) {
      return;
    }
    String id = lineageId.isEmpty() ? Ids.newId() : Ids.canonical(lineageId);
    WriteResult result = store.create(id, type, data, Provenance.NONE);
    assertThat(result.kind()).isIn(WriteResult.Kind.WRITTEN, WriteResult.Kind.ALREADY_EXISTS);
    assertThat(Structs.fromJson(Structs.toJson(result.entity().getData()))).isEqualTo(result.entity().getData());

    UpdateEntityRequest update = UpdateEntityRequest.newBuilder()
        .setLineageId(id).setExpectedVersion(result.entity().getVersion()).setData(data).build();
    assertThat(requests.checkUpdate(update)).isEmpty();
    assertThat(store.update(id, result.entity().getVersion(), data, Provenance.NONE).kind())
        .isIn(WriteResult.Kind.WRITTEN, WriteResult.Kind.DELETED);
  }

  @Property(tries = 300)
  void onlyCanonicalUuidsPassAsLineageIds(@ForAll("lineageIds") String lineageId) {
    boolean accepted = requests.checkCreate(CreateEntityRequest.newBuilder()
        .setLineageId(lineageId).setEntityType("T").build()).isEmpty();
    boolean isUuid = lineageId.isEmpty()
        || lineageId.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    assertThat(accepted).isEqualTo(isUuid);
  }

  @Provide
  Arbitrary<String> lineageIds() {
    return Arbitraries.oneOf(
        Arbitraries.create(Ids::newId),
        Arbitraries.create(() -> Ids.newId().toUpperCase()),
        Arbitraries.strings().withChars("0123456789abcdefABCDEF-xg").ofMaxLength(40),
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.just(""));
  }

  @Provide
  Arbitrary<String> entityTypes() {
    return Arbitraries.oneOf(
        Arbitraries.strings().withCharRange('a', 'z').withChars("_.-0123456789A").ofMinLength(1).ofMaxLength(140),
        Arbitraries.strings().ofMaxLength(20));
  }

  @Provide
  Arbitrary<Struct> data() {
    return structs(3);
  }

  private Arbitrary<Struct> structs(int depth) {
    return Arbitraries.maps(Arbitraries.strings().ofMaxLength(8), values(depth)).ofMaxSize(4)
        .map(fields -> Struct.newBuilder().putAllFields(fields).build());
  }

  private Arbitrary<Value> values(int depth) {
    List<Arbitrary<Value>> leaves = List.of(
        Arbitraries.doubles().withSpecialValue(Double.NaN).withSpecialValue(Double.POSITIVE_INFINITY)
            .map(d -> Value.newBuilder().setNumberValue(d).build()),
        Arbitraries.strings().ofMaxLength(2000).map(s -> Value.newBuilder().setStringValue(s).build()),
        Arbitraries.of(true, false).map(b -> Value.newBuilder().setBoolValue(b).build()),
        Arbitraries.just(Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build()),
        Arbitraries.just(Value.getDefaultInstance()));
    if (depth == 0) {
      return Arbitraries.oneOf(leaves);
    }
    Arbitrary<Value> nestedStruct = Arbitraries.lazy(() -> structs(depth - 1))
        .map(s -> Value.newBuilder().setStructValue(s).build());
    Arbitrary<Value> nestedList = Arbitraries.lazy(() -> values(depth - 1)).list().ofMaxSize(3)
        .map(vs -> Value.newBuilder().setListValue(ListValue.newBuilder().addAllValues(vs)).build());
    return Arbitraries.oneOf(Arbitraries.oneOf(leaves), nestedStruct, nestedList);
  }
}
