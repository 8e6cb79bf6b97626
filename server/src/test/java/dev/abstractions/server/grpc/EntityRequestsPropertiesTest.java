package dev.abstractions.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.api.v1.CreateEntityRequest;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.UpdateEntityRequest;
import dev.abstractions.client.Structs;
import dev.abstractions.server.ServerModules;
import dev.abstractions.server.config.ServerConfig;
import dev.abstractions.server.core.EntityVersion;
import dev.abstractions.server.core.Refusal;
import dev.abstractions.server.core.StructBytes;
import dev.abstractions.server.grpc.wire.CreateEntityWire;
import dev.abstractions.server.grpc.wire.UpdateEntityWire;
import dev.abstractions.server.ops.CommandDriver;
import dev.abstractions.server.ops.Outcome;
import dev.abstractions.server.store.Ids;
import dev.abstractions.server.store.RequestKey;
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
class EntityRequestsPropertiesTest {

  private final EntityRequests requests = new EntityRequests(4096);
  private final CommandDriver driver = ServerModules.injector(ServerConfig.parse("--store", "memory", "--history-limit", "4"))
      .getInstance(CommandDriver.class);

  @Property(tries = 500)
  void whateverPassesCreateChecksIsStoredAndPrintable(
      @ForAll("lineageIds") String lineageId, @ForAll("entityTypes") String type, @ForAll("data") Struct data)
      throws Exception {
    CreateEntityWire request = CreateEntityWire.parseFrom(
        CreateEntityRequest.newBuilder().setLineageId(lineageId).setEntityType(type).setData(data).build().toByteString());
    if (!requests.checkCreate(request).isEmpty()) {
      return;
    }
    String id = lineageId.isEmpty() ? Ids.newId() : Ids.canonical(lineageId);
    StructBytes wireData = StructBytes.merged(request.getDataList());
    Outcome<EntityVersion> created = driver.create(RequestKey.NONE, id, "", type, wireData).join();
    Entity stored = (created.ok() ? created.value() : created.refusal().current()).entity();
    assertThat(created.ok() || created.refusal().kind() == Refusal.Kind.ALREADY_EXISTS).isTrue();
    assertThat(Structs.fromJson(Structs.toJson(stored.getData()))).isEqualTo(stored.getData());

    UpdateEntityWire update = UpdateEntityWire.parseFrom(UpdateEntityRequest.newBuilder()
        .setLineageId(id).setExpectedVersion(stored.getVersion()).setData(data).build().toByteString());
    assertThat(requests.checkUpdate(update)).isEmpty();
    Outcome<EntityVersion> updated =
        driver.update(RequestKey.NONE, id, stored.getVersion(), StructBytes.merged(update.getDataList())).join();
    assertThat(updated.ok()).as("%s", updated.refusal()).isTrue();
    assertThat(updated.value().version()).isEqualTo(stored.getVersion() + 1);
  }

  @Property(tries = 300)
  void onlyCanonicalUuidsPassAsLineageIds(@ForAll("lineageIds") String lineageId) {
    boolean accepted = requests.checkCreate(CreateEntityWire.newBuilder()
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
