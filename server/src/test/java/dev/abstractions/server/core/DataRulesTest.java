package dev.abstractions.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Data is checked on its bytes: the one pass over protobuf's own encoding must accept exactly the
 * data the rules accept, and what it cannot vouch for must get the answer the parsed Struct gets.
 */
class DataRulesTest {

  private static final int LIMIT = 1 << 20;

  @Property(tries = 2000)
  void theBytePassAcceptsExactlyTheDataTheRulesAccept(@ForAll("data") Struct data) {
    List<DataRules.Violation> rules = DataRules.checkValues(data, "data");

    assertThat(DataRules.plainlyValid(StructBytes.of(data))).isEqualTo(rules.isEmpty());
    assertThat(DataRules.check(StructBytes.of(data), "data", LIMIT)).isEqualTo(rules);
  }

  @Test
  void brokenRulesAreNamedWithTheirPaths() {
    Struct data = Struct.newBuilder()
        .putFields("ok", number(1))
        .putFields("nan", number(Double.NaN))
        .putFields("list", Value.newBuilder().setListValue(ListValue.newBuilder()
            .addValues(number(2)).addValues(Value.getDefaultInstance())).build())
        .build();

    assertThat(DataRules.check(StructBytes.of(data), "data", LIMIT)).containsExactly(
        new DataRules.Violation("data.nan", "must be a finite number, was NaN"),
        new DataRules.Violation("data.list[1]", "has no value (set null_value for null)"));
  }

  @Test
  void nestingIsBoundedAtTwentyLevels() {
    assertThat(DataRules.check(StructBytes.of(nested(20)), "data", LIMIT)).isEmpty();
    assertThat(DataRules.check(StructBytes.of(nested(21)), "data", LIMIT)).containsExactly(new DataRules.Violation(
        "data.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a", "nests deeper than 20 levels"));
    // Past protobuf's own recursion limit the Struct does not even parse.
    assertThat(DataRules.check(StructBytes.of(nested(40)), "data", LIMIT)).containsExactly(new DataRules.Violation(
        "data", "is not a google.protobuf.Struct: Protocol message had too many levels of nesting.  May be malicious."
            + "  Use setRecursionLimit() to increase the recursion depth limit."));
  }

  @Test
  void theSizeIsTheBytesAsSent() {
    StructBytes data = StructBytes.of(Struct.newBuilder().putFields("name", string("Ada")).build());

    assertThat(DataRules.check(data, "data", data.size())).isEmpty();
    assertThat(DataRules.check(data, "data", data.size() - 1)).containsExactly(new DataRules.Violation(
        "data", "is " + data.size() + " bytes serialized, more than the limit of " + (data.size() - 1)));
  }

  @Test
  void invalidUtf8InAKeyOrAStringIsNotAStruct() throws IOException {
    byte[] badKey = entry(new byte[] {(byte) 0xC3, 0x28}, string("x").toByteArray());
    byte[] badString = entry("k".getBytes(), stringValueBytes(new byte[] {(byte) 0xC3, 0x28}));

    for (byte[] bad : List.of(badKey, badString)) {
      assertThat(DataRules.check(new StructBytes(ByteString.copyFrom(bad)), "data", LIMIT)).containsExactly(
          new DataRules.Violation("data", "is not a google.protobuf.Struct: Protocol message had invalid UTF-8."));
    }
  }

  @Test
  void encodingsNoLibraryWritesAreJudgedByWhatProtobufParses() throws IOException {
    // A key twice: protobuf keeps the last value.
    byte[] twice = concat(entry("k".getBytes(), number(Double.NaN).toByteArray()),
        entry("k".getBytes(), number(1).toByteArray()));
    // A value with two kinds: protobuf keeps the last one.
    byte[] twoKinds = entry("k".getBytes(), concat(number(Double.NaN).toByteArray(), string("x").toByteArray()));
    // An entry with no value: protobuf reads the empty Value, which breaks a rule.
    byte[] noValue = concat(tag(1), varint(3), tag(1), varint(1), "k".getBytes());
    // A field of Struct that this protobuf does not know: protobuf keeps it aside.
    byte[] unknownField = concat(entry("k".getBytes(), number(1).toByteArray()), new byte[] {(2 << 3), 7});

    assertThat(check(twice)).isEmpty();
    assertThat(Struct.parseFrom(twice)).isEqualTo(Struct.newBuilder().putFields("k", number(1)).build());
    assertThat(check(twoKinds)).isEmpty();
    assertThat(check(noValue)).containsExactly(new DataRules.Violation("data.k", "has no value (set null_value for null)"));
    assertThat(check(unknownField)).isEmpty();
  }

  @Test
  void occurrencesOfTheFieldMergeAsProtobufMergesThem() throws IOException {
    Struct first = Struct.newBuilder().putFields("a", number(1)).putFields("b", number(2)).build();
    Struct second = Struct.newBuilder().putFields("b", string("two")).putFields("c", Value.newBuilder()
        .setNullValue(NullValue.NULL_VALUE).build()).build();

    StructBytes merged = StructBytes.merged(List.of(first.toByteString(), second.toByteString()));

    assertThat(Struct.parseFrom(merged.bytes())).isEqualTo(first.toBuilder().mergeFrom(second).build());
    assertThat(StructBytes.merged(List.of())).isEqualTo(StructBytes.EMPTY);
    ByteString once = first.toByteString();
    assertThat(StructBytes.merged(List.of(once)).bytes()).isSameAs(once);
  }

  private static List<DataRules.Violation> check(byte[] data) {
    return DataRules.check(new StructBytes(ByteString.copyFrom(data)), "data", LIMIT);
  }

  @Provide
  Arbitrary<Struct> data() {
    return structs(4);
  }

  private Arbitrary<Struct> structs(int depth) {
    return Arbitraries.maps(Arbitraries.strings().ofMaxLength(6), values(depth)).ofMaxSize(4)
        .map(fields -> Struct.newBuilder().putAllFields(fields).build());
  }

  private Arbitrary<Value> values(int depth) {
    Arbitrary<Value> leaves = Arbitraries.oneOf(
        Arbitraries.doubles().withSpecialValue(Double.NaN).withSpecialValue(Double.NEGATIVE_INFINITY)
            .map(DataRulesTest::number),
        Arbitraries.strings().ofMaxLength(20).map(DataRulesTest::string),
        Arbitraries.of(true, false).map(b -> Value.newBuilder().setBoolValue(b).build()),
        Arbitraries.just(Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build()),
        Arbitraries.just(Value.getDefaultInstance()),
        // Deep enough that some of the data crosses MAX_DEPTH, not so deep that it stops parsing.
        Arbitraries.integers().between(15, 25).map(levels -> Value.newBuilder().setStructValue(nested(levels)).build()));
    if (depth == 0) {
      return leaves;
    }
    Arbitrary<Value> nestedStruct = Arbitraries.lazy(() -> structs(depth - 1))
        .map(s -> Value.newBuilder().setStructValue(s).build());
    Arbitrary<Value> nestedList = Arbitraries.lazy(() -> values(depth - 1)).list().ofMaxSize(3)
        .map(vs -> Value.newBuilder().setListValue(ListValue.newBuilder().addAllValues(vs)).build());
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(6, leaves), net.jqwik.api.Tuple.of(2, nestedStruct), net.jqwik.api.Tuple.of(2, nestedList));
  }

  /** {@code levels} Structs, each the value "a" of the one around it; the innermost holds a number. */
  private static Struct nested(int levels) {
    Struct inner = Struct.newBuilder().putFields("leaf", number(1)).build();
    for (int i = 1; i < levels; i++) {
      inner = Struct.newBuilder().putFields("a", Value.newBuilder().setStructValue(inner).build()).build();
    }
    return inner;
  }

  private static Value number(double n) {
    return Value.newBuilder().setNumberValue(n).build();
  }

  private static Value string(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  /** A Value whose string_value is {@code bytes} as they are (protobuf would refuse to write invalid UTF-8). */
  private static byte[] stringValueBytes(byte[] bytes) throws IOException {
    return concat(tag(Value.STRING_VALUE_FIELD_NUMBER), varint(bytes.length), bytes);
  }

  /** One map entry of a Struct: key and value bytes as they are. */
  private static byte[] entry(byte[] key, byte[] value) throws IOException {
    byte[] body = concat(tag(1), varint(key.length), key, tag(2), varint(value.length), value);
    return concat(tag(Struct.FIELDS_FIELD_NUMBER), varint(body.length), body);
  }

  private static byte[] tag(int number) {
    return new byte[] {(byte) (number << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED)};
  }

  private static byte[] varint(int n) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeUInt32NoTag(n);
    out.flush();
    return bytes.toByteArray();
  }

  private static byte[] concat(byte[]... parts) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      bytes.write(part);
    }
    return bytes.toByteArray();
  }
}
