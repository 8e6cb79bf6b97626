package dev.abstractions.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Structs#fromJson} reads every JSON object as protobuf's {@code JsonFormat} reads it, and
 * refuses, saying where, the text that is not JSON which {@code JsonFormat} would take.
 */
class StructsTest {

  private static final String CHARACTERS = "aZ09 \"\\/\t\b\n\r\f\u0000\u001f\u007f<>&='\u2028\u2029é€😀";
  private static final double[] DOUBLES = {
    0, -0.0, 1, -1, 3, 3.5, 0.1, 1e-7, 5e-324, Double.MAX_VALUE, -Double.MAX_VALUE, 1e20, 1e21,
    12345678901234567.0, 9007199254740993.0
  };

  private final Random random = new Random(20261202);

  @Test
  void readsWhatJsonFormatAndProtoJsonPrintAsJsonFormatReadsIt() throws Exception {
    for (int i = 0; i < 2_000; i++) {
      Struct data = randomStruct(0);
      String printed = JsonFormat.printer().print(data);
      assertThat(Structs.fromJson(printed)).as(printed).isEqualTo(data);
      // ProtoJson prints -0 as 0, as JavaScript does, so its text is compared with JsonFormat's reading.
      String compact = ProtoJson.print(data);
      Struct.Builder reference = Struct.newBuilder();
      JsonFormat.parser().merge(compact, reference);
      assertThat(Structs.fromJson(compact)).as(compact).isEqualTo(reference.build());
    }
  }

  @Test
  void takesTheLastValueOfAKeyGivenTwice() {
    assertThat(Structs.toJson(Structs.fromJson(" {\"a\": 1, \"b\": [], \"a\": {\"c\": null}}\n")))
        .isEqualTo("{\"a\":{\"c\":null},\"b\":[]}");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
    // JsonFormat takes each of these, as a note says
    "{a:1}              | malformed JSON at line 1 column 3 path $.",                      // {"a":1}
    "{'a':1}            | malformed JSON at line 1 column 3 path $.",                      // {"a":1}
    "{\"a\":tru}        | malformed JSON at line 1 column 6 path $.a",                     // "tru"
    "{\"a\":x}          | malformed JSON at line 1 column 6 path $.a",                     // "x"
    "{\"a\":NaN}        | malformed JSON at line 1 column 6 path $.a",                     // "NaN"
    "{\"a\":01}         | malformed JSON at line 1 column 6 path $.a",                     // "01"
    "{\"a\":[1,]}       | malformed JSON at line 1 column 10 path $.a[1]",                 // [1,null]
    "{\"a\":1e400}      | JSON forbids NaN and infinities: Infinity at line 1 column 11 path $.a", // Infinity
    "{\"a\":1;\"b\":2}  | malformed JSON at line 1 column 6 path $.a",                     // a and b
    "{\"a\":1} x        | malformed JSON at line 1 column 10 path $",                      // the object
    "{\"a\":1}{}        | malformed JSON at line 1 column 9 path $",                       // the first
    "`{\"a\":1} // c`   | malformed JSON at line 1 column 10 path $",                      // the object
    // JsonFormat refuses these too
    "{\"a\":1,}         | Expected name at line 1 column 9 path $.a",
    "{\"name\":         | End of input at line 1 column 9 path $.name",
    "``                 | End of input at line 1 column 1 path $",
    "[1]                | found an array at $",
    "3                  | found a number at $",
    "\"text\"           | found a string at $",
    "true               | found a boolean at $",
    "null               | found null at $",
  })
  void refusesTextThatIsNotOneJsonObjectSayingWhere(String json, String problem) {
    assertThatThrownBy(() -> Structs.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a JSON object: " + problem);
  }

  private Struct randomStruct(int depth) {
    Struct.Builder struct = Struct.newBuilder();
    for (int n = random.nextInt(4); n > 0; n--) {
      struct.putFields(randomString(), randomValue(depth));
    }
    return struct.build();
  }

  private Value randomValue(int depth) {
    Value.Builder value = Value.newBuilder();
    switch (random.nextInt(depth > 2 ? 4 : 6)) {
      case 0 -> value.setNullValue(NullValue.NULL_VALUE);
      case 1 -> value.setNumberValue(random.nextBoolean()
          ? DOUBLES[random.nextInt(DOUBLES.length)]
          : random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
      case 2 -> value.setStringValue(randomString());
      case 3 -> value.setBoolValue(random.nextBoolean());
      case 4 -> value.setStructValue(randomStruct(depth + 1));
      default -> {
        ListValue.Builder list = ListValue.newBuilder();
        for (int n = random.nextInt(4); n > 0; n--) {
          list.addValues(randomValue(depth + 1));
        }
        value.setListValue(list);
      }
    }
    return value.build();
  }

  private String randomString() {
    StringBuilder text = new StringBuilder();
    for (int n = random.nextInt(6); n > 0; n--) {
      int at = random.nextInt(CHARACTERS.length());
      text.append(CHARACTERS.charAt(at));
      if (Character.isHighSurrogate(CHARACTERS.charAt(at))) {
        text.append(CHARACTERS.charAt(at + 1));
      }
    }
    return text.toString();
  }
}
