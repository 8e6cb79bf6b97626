package dev.abstractions.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
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

  private final RandomJson json = new RandomJson(new Random(20261202), true);

  @Test
  void readsWhatJsonFormatAndProtoJsonPrintAsJsonFormatReadsIt() throws Exception {
    for (int i = 0; i < 2_000; i++) {
      Struct data = json.struct(0);
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
}
