package dev.abstractions.client;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.io.IOException;
import java.io.StringReader;

/**
 * Entity data as JSON text: the form every language and grpcurl share. Data is a protobuf {@code
 * Struct}, so its numbers are doubles: whole numbers are exact up to 2<sup>53</sup> (see {@link
 * ProtoJson}). Stateless and thread-safe.
 */
public final class Structs {

  private Structs() {}

  /**
   * Parses a JSON object, e.g. {@code {"name": "Ada", "credits": 3}}: standard JSON (RFC 8259)
   * only, one object and nothing after it. Of a key given twice the last value counts, as in
   * JavaScript's and Python's parsers.
   *
   * <p>protobuf's {@code JsonFormat} would also take text that is not JSON, and guess: {@code
   * {"a":tru}} as the string {@code "tru"}, {@code [1,]} as {@code [1,null]}, {@code 1e400} as
   * infinity, and ignore whatever follows the object. Here each of those is an error.
   *
   * @throws IllegalArgumentException naming what is wrong and where, e.g. {@code not a JSON object:
   *     Unterminated object at line 1 column 9 path $.name}
   */
  public static Struct fromJson(String json) {
    JsonReader reader = new JsonReader(new StringReader(json));
    reader.setStrictness(Strictness.STRICT);
    try {
      JsonToken first = reader.peek();
      if (first != JsonToken.BEGIN_OBJECT) {
        throw new IllegalArgumentException("not a JSON object: found " + describe(first) + " at " + reader.getPath());
      }
      Struct struct = struct(reader);
      reader.peek(); // throws if anything but white space follows the object
      return struct;
    } catch (IOException e) {
      // Gson words what only its lenient mode takes as advice to its Java caller, and adds a line
      // with a link to its troubleshooting guide: neither is for whoever wrote the JSON.
      String message = e.getMessage().replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept ", "");
      int guide = message.indexOf('\n');
      throw new IllegalArgumentException(
          "not a JSON object: " + (guide < 0 ? message : message.substring(0, guide)), e);
    }
  }

  /**
   * Prints data as compact JSON, whole numbers without a fraction ({@code {"credits":3}}); see
   * {@link ProtoJson} for the precision of numbers.
   */
  public static String toJson(Struct data) {
    return ProtoJson.print(data);
  }

  private static Struct struct(JsonReader reader) throws IOException {
    Struct.Builder struct = Struct.newBuilder();
    reader.beginObject();
    while (reader.hasNext()) {
      String key = reader.nextName();
      struct.putFields(key, value(reader));
    }
    reader.endObject();
    return struct.build();
  }

  private static Value value(JsonReader reader) throws IOException {
    JsonToken token = reader.peek();
    return switch (token) {
      case BEGIN_OBJECT -> Value.newBuilder().setStructValue(struct(reader)).build();
      case BEGIN_ARRAY -> {
        ListValue.Builder list = ListValue.newBuilder();
        reader.beginArray();
        while (reader.hasNext()) {
          list.addValues(value(reader));
        }
        reader.endArray();
        yield Value.newBuilder().setListValue(list).build();
      }
      case STRING -> Value.newBuilder().setStringValue(reader.nextString()).build();
      // Strict mode refuses a number a double cannot hold (1e400) rather than make it infinite.
      case NUMBER -> Value.newBuilder().setNumberValue(reader.nextDouble()).build();
      case BOOLEAN -> Value.newBuilder().setBoolValue(reader.nextBoolean()).build();
      case NULL -> {
        reader.nextNull();
        yield Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
      }
      // A name or the end of an object or array is never where a value is peeked.
      default -> throw new IllegalStateException("unexpected " + token + " at " + reader.getPath());
    };
  }

  private static String describe(JsonToken token) {
    return switch (token) {
      case BEGIN_ARRAY -> "an array";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> "nothing";
    };
  }
}
