package dev.abstractions.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DurationProto;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.EmptyProto;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.StructProto;
import com.google.protobuf.Timestamp;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.Value;
import com.google.protobuf.WrappersProto;
import com.google.protobuf.util.JsonFormat;
import dev.abstractions.api.v1.EntityProto;
import dev.abstractions.api.v1.ErrorsProto;
import dev.abstractions.api.v1.EventProto;
import dev.abstractions.api.v1.OperationProto;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * {@link ProtoJson} prints what protobuf-java's {@link JsonFormat} prints, whole numbers aside:
 * compared over random messages of every type of the contract, protobuf's descriptor messages
 * (every scalar type, proto2 presence) and the well-known types, with the values where printers
 * differ most (NaN, the infinities, negative zero, large and tiny numbers, unsigned integers,
 * characters JSON or HTML escapes, the edges of the timestamp and duration ranges).
 */
class ProtoJsonTest {

  private static final JsonFormat.Printer JSON_FORMAT = JsonFormat.printer().omittingInsignificantWhitespace();
  private final Random random = new Random(20261202);
  private final RandomJson json = new RandomJson(random, false);

  @Test
  void printsWhatJsonFormatPrintsWithWholeNumbersPlain() throws Exception {
    int compared = 0;
    for (FileDescriptor file : List.of(EntityProto.getDescriptor(), EventProto.getDescriptor(),
        OperationProto.getDescriptor(), ErrorsProto.getDescriptor(), DescriptorProtos.getDescriptor(),
        StructProto.getDescriptor(), TimestampProto.getDescriptor(), DurationProto.getDescriptor(),
        WrappersProto.getDescriptor(), EmptyProto.getDescriptor())) {
      for (Descriptor type : allMessageTypes(file.getMessageTypes())) {
        for (int i = 0; i < 40; i++) {
          Message message = randomMessage(type, 0);
          assertThat(outcome(() -> ProtoJson.print(message))).as("%s", message)
              .isEqualTo(outcome(() -> reference(message)));
          compared++;
        }
      }
    }
    assertThat(compared).isGreaterThan(4_000);
  }

  @Test
  void printsWholeNumbersWithoutFractionUpToWhereJavaScriptSwitchesToExponents() {
    Struct data = Struct.newBuilder()
        .putFields("credits", number(3))
        .putFields("big", number(12345678901234567.0))
        .putFields("exact", number(9007199254740992.0))
        .putFields("half", number(2.5))
        .putFields("below", number(1e20))
        .putFields("limit", number(1e21))
        .putFields("zero", number(-0.0))
        .putFields("list", Value.newBuilder().setListValue(ListValue.newBuilder().addValues(number(7))).build())
        .putFields("none", Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build())
        .build();

    assertThat(ProtoJson.print(data)).isEqualTo("{\"credits\":3,\"big\":12345678901234568,"
        + "\"exact\":9007199254740992,\"half\":2.5,\"below\":100000000000000000000,\"limit\":1.0E21,"
        + "\"zero\":0,\"list\":[7],\"none\":null}");
  }

  @Test
  void refusesATimestampOutOfRangeAndANanInAStructAsJsonFormatDoes() {
    Timestamp tooLate = Timestamp.newBuilder().setSeconds(253402300800L).build();

    assertThatThrownBy(() -> ProtoJson.print(tooLate))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Timestamp is not valid");
    assertThatThrownBy(() -> ProtoJson.print(Struct.newBuilder().putFields("n", number(Double.NaN)).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot encode double values for infinity or nan");
  }

  /** The text printed, or the exception that refused to print it. */
  private static String outcome(Callable<String> print) {
    try {
      return print.call();
    } catch (Exception e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  /** JsonFormat's text with each whole number token written without fraction or exponent. */
  private static String reference(Message message) throws Exception {
    String json = JSON_FORMAT.print(message);
    StringBuilder out = new StringBuilder(json.length());
    boolean inString = false;
    int i = 0;
    while (i < json.length()) {
      char c = json.charAt(i);
      if (inString) {
        out.append(c);
        if (c == '\\') {
          out.append(json.charAt(i + 1));
          i += 2;
          continue;
        }
        inString = c != '"';
        i++;
      } else if (c == '"') {
        inString = true;
        out.append(c);
        i++;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        int end = i + 1;
        while (end < json.length() && "0123456789+-.eE".indexOf(json.charAt(end)) >= 0) {
          end++;
        }
        String token = json.substring(i, end);
        double value = Double.parseDouble(token);
        boolean whole = (token.contains(".") || token.contains("E")) && value == Math.rint(value)
            && Math.abs(value) < 1e21;
        out.append(whole ? new BigDecimal(value).toBigInteger().toString() : token);
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static List<Descriptor> allMessageTypes(List<Descriptor> types) {
    List<Descriptor> all = new ArrayList<>();
    for (Descriptor type : types) {
      if (!type.getOptions().getMapEntry()) {
        all.add(type);
      }
      all.addAll(allMessageTypes(type.getNestedTypes()));
    }
    return all;
  }

  private Message randomMessage(Descriptor type, int depth) {
    switch (type.getFullName()) {
      case "google.protobuf.Timestamp":
        return DynamicMessage.newBuilder(type)
            .setField(type.findFieldByName("seconds"), randomLong(-62135596800L, 253402300799L))
            .setField(type.findFieldByName("nanos"), randomNanos())
            .build();
      case "google.protobuf.Duration": {
        long seconds = randomLong(-315576000000L, 315576000000L);
        int nanos = randomNanos();
        return DynamicMessage.newBuilder(type)
            .setField(type.findFieldByName("seconds"), seconds)
            .setField(type.findFieldByName("nanos"), seconds < 0 || (seconds == 0 && random.nextBoolean())
                ? -nanos : nanos)
            .build();
      }
      case "google.protobuf.Value":
        return json.value(depth);
      case "google.protobuf.Struct":
        return json.struct(depth);
      case "google.protobuf.ListValue":
        return json.list(depth);
      default:
        break;
    }
    DynamicMessage.Builder message = DynamicMessage.newBuilder(type);
    for (FieldDescriptor field : type.getFields()) {
      if (random.nextInt(4) == 0 || (depth > 2 && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE)) {
        continue;
      }
      if (field.getRealContainingOneof() != null && message.getOneofFieldDescriptor(field.getRealContainingOneof())
          != null) {
        continue;
      }
      if (field.isRepeated()) {
        for (int n = random.nextInt(4); n > 0; n--) {
          message.addRepeatedField(field, randomFieldValue(field, depth));
        }
      } else {
        message.setField(field, randomFieldValue(field, depth));
      }
    }
    // Partial: descriptor.proto's proto2 messages have required fields, which JSON prints as any other.
    return message.buildPartial();
  }

  private Object randomFieldValue(FieldDescriptor field, int depth) {
    switch (field.getType()) {
      case INT32, SINT32, SFIXED32, UINT32, FIXED32:
        return random.nextBoolean() ? random.nextInt() : random.nextInt(3) - 1;
      case INT64, SINT64, SFIXED64, UINT64, FIXED64:
        return random.nextBoolean() ? random.nextLong() : (long) random.nextInt(3) - 1;
      case BOOL:
        return random.nextBoolean();
      case FLOAT:
        return random.nextBoolean() ? (float) json.number() : random.nextFloat() * 1e6f;
      case DOUBLE:
        return json.number();
      case STRING:
        return json.string();
      case BYTES: {
        byte[] bytes = new byte[random.nextInt(7)];
        random.nextBytes(bytes);
        return ByteString.copyFrom(bytes);
      }
      case ENUM: {
        EnumDescriptor type = field.getEnumType();
        return random.nextInt(5) == 0 && !type.isClosed()
            ? type.findValueByNumberCreatingIfUnknown(1000 + random.nextInt(10))
            : type.getValues().get(random.nextInt(type.getValues().size()));
      }
      case MESSAGE:
        if (field.isMapField()) {
          Descriptor entry = field.getMessageType();
          return DynamicMessage.newBuilder(entry)
              .setField(entry.findFieldByName("key"), randomFieldValue(entry.findFieldByName("key"), depth))
              .setField(entry.findFieldByName("value"), randomFieldValue(entry.findFieldByName("value"), depth))
              .build();
        }
        return randomMessage(field.getMessageType(), depth + 1);
      default:
        throw new AssertionError("no random value for " + field);
    }
  }

  private int randomNanos() {
    return switch (random.nextInt(4)) {
      case 0 -> 0;
      case 1 -> random.nextInt(1000) * 1_000_000;
      case 2 -> random.nextInt(1_000_000) * 1_000;
      default -> random.nextInt(1_000_000_000);
    };
  }

  private long randomLong(long min, long max) {
    return min + (long) (random.nextDouble() * (max - min));
  }

  private static Value number(double value) {
    return Value.newBuilder().setNumberValue(value).build();
  }
}
