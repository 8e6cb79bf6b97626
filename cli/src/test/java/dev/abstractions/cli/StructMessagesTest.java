package dev.abstractions.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.abstractions.api.v1.CreateMember;
import dev.abstractions.api.v1.DeleteMember;
import dev.abstractions.api.v1.Entity;
import dev.abstractions.api.v1.TreeChange;
import dev.abstractions.api.v1.UpdateMember;
import dev.abstractions.api.v1.WriteTreeRequest;
import dev.abstractions.client.Structs;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link StructMessages} reads a whole {@code WriteTreeRequest} (every field of every kind of
 * change set) as protobuf's {@code JsonFormat} reads it, under JSON and proto names, and refuses
 * a value of the wrong kind naming where it is.
 */
class StructMessagesTest {

  // Some with characters JSON escapes. Reading data of every shape is StructsTest's (client-java);
  // here data only has to arrive whole.
  private static final String[] STRINGS = {"", "Line", "d2000000-0000-4000-8000-000000000001", "é€😀", "\"\\\n\u0000"};
  private static final long[] LONGS = {0, 1, -1, 9007199254740993L, Long.MAX_VALUE, Long.MIN_VALUE};

  private final Random random = new Random(20261202);

  @Test
  void readsEveryFieldOfATreeWriteAsJsonFormatReadsIt() throws Exception {
    for (int i = 0; i < 1_000; i++) {
      WriteTreeRequest request = randomRequest();
      for (JsonFormat.Printer printer : new JsonFormat.Printer[] {
          JsonFormat.printer(), JsonFormat.printer().preservingProtoFieldNames()}) {
        String json = printer.print(request);
        WriteTreeRequest.Builder read = WriteTreeRequest.newBuilder();
        StructMessages.merge(Structs.fromJson(json), read);
        WriteTreeRequest.Builder reference = WriteTreeRequest.newBuilder();
        JsonFormat.parser().merge(json, reference);
        assertThat(read.build()).as(json).isEqualTo(reference.build()).isEqualTo(request);
      }
    }
  }

  @Test
  void readsIntegersGivenAsNumbersAndLeavesNullFieldsUnset() {
    WriteTreeRequest.Builder read = WriteTreeRequest.newBuilder();
    StructMessages.merge(Structs.fromJson("{\"changes\":[{\"update\":{\"lineageId\":null,\"expectedVersion\":-9007199254740992,"
        + "\"data\":null}},{\"delete\":{\"expected_version\":3e3}}]}"), read);

    assertThat(read.build()).isEqualTo(WriteTreeRequest.newBuilder()
        .addChanges(TreeChange.newBuilder().setUpdate(UpdateMember.newBuilder().setExpectedVersion(-9007199254740992L)))
        .addChanges(TreeChange.newBuilder().setDelete(DeleteMember.newBuilder().setExpectedVersion(3000)))
        .build());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
    "{\"changes\":[{\"move\":{}}]}                          | no field 'changes[0].move' in TreeChange",
    "{\"changes\":{}}                                       | 'changes' must be a list, was an object",
    "{\"changes\":[3]}                                      | 'changes[0]' must be an object, was the number 3",
    "{\"changes\":[{},{\"update\":{},\"delete\":{}}]}       | 'changes[1].delete' and 'changes[1].update' are both given, but only one of them can be",
    "{\"changes\":[{\"update\":{\"lineageId\":5}}]}         | 'changes[0].update.lineageId' must be a string, was the number 5",
    "{\"changes\":[{\"update\":{\"lineageId\":\"a\",\"lineage_id\":\"b\"}}]} | 'changes[0].update.lineage_id' is given twice, by its JSON name and its proto name",
    "{\"changes\":[{\"update\":{\"data\":[1]}}]}            | 'changes[0].update.data' must be an object, was a list",
    "{\"changes\":[{\"update\":{\"data\":\"{}\"}}]}         | 'changes[0].update.data' must be an object, was the string \"{}\"",
    "{\"changes\":[{\"update\":{\"expectedVersion\":1.5}}]} | 'changes[0].update.expectedVersion' must be a whole number (64 bits), was the number 1.5",
    "{\"changes\":[{\"update\":{\"expectedVersion\":1e19}}]} | 'changes[0].update.expectedVersion' must be a whole number (64 bits), was the number 10000000000000000000",
    "{\"changes\":[{\"update\":{\"expectedVersion\":\"9223372036854775808\"}}]} | 'changes[0].update.expectedVersion' must be a whole number (64 bits), was the string \"9223372036854775808\"",
    "{\"changes\":[{\"delete\":{\"expectedVersion\":true}}]} | 'changes[0].delete.expectedVersion' must be a whole number (64 bits), was true",
  })
  void refusesAValueOfTheWrongKindNamingWhereItIs(String json, String problem) {
    Struct object = Structs.fromJson(json);

    assertThatThrownBy(() -> StructMessages.merge(object, WriteTreeRequest.newBuilder()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(problem);
  }

  @Test
  void refusesToFillAFieldOfAKindTreeWritesDoNotHave() {
    assertThatThrownBy(() -> StructMessages.merge(Structs.fromJson("{\"deleted\":true}"), Entity.newBuilder()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("BOOL fields are not taken: abstractions.v1.Entity.deleted");
    assertThatThrownBy(() -> StructMessages.merge(Structs.fromJson("{\"createdAt\":{}}"), Entity.newBuilder()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maps and well-known types but Struct are not taken: abstractions.v1.Entity.created_at");
  }

  private WriteTreeRequest randomRequest() {
    WriteTreeRequest.Builder request = WriteTreeRequest.newBuilder()
        .setRootLineageId(randomString())
        .setExpectedTreeVersion(randomLong())
        .setRequestId(randomString());
    for (int n = random.nextInt(4); n > 0; n--) {
      TreeChange.Builder change = TreeChange.newBuilder();
      switch (random.nextInt(3)) {
        case 0 -> change.setCreate(CreateMember.newBuilder().setLineageId(randomString())
            .setParentLineageId(randomString()).setEntityType(randomString()).setData(randomData()));
        case 1 -> change.setUpdate(UpdateMember.newBuilder().setLineageId(randomString())
            .setExpectedVersion(randomLong()).setData(randomData()));
        default -> change.setDelete(DeleteMember.newBuilder().setLineageId(randomString())
            .setExpectedVersion(randomLong()));
      }
      request.addChanges(change);
    }
    return request.build();
  }

  private String randomString() {
    return STRINGS[random.nextInt(STRINGS.length)];
  }

  private Struct randomData() {
    return Struct.newBuilder()
        .putFields(randomString(), Value.newBuilder().setNumberValue(random.nextGaussian()).build())
        .putFields("list", Value.newBuilder().setListValue(ListValue.newBuilder()
            .addValues(Value.newBuilder().setNullValue(NullValue.NULL_VALUE))
            .addValues(Value.newBuilder().setStringValue(randomString()))).build())
        .build();
  }

  private long randomLong() {
    return random.nextBoolean() ? LONGS[random.nextInt(LONGS.length)] : random.nextLong() >> random.nextInt(64);
  }
}
