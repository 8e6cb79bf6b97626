package dev.abstractions.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Protobuf messages as compact JSON text with numbers printed as JSON numbers are elsewhere
 * (grpcurl, Go, JavaScript): a whole number without a fraction, {@code 3} rather than protobuf-java's
 * {@code 3.0}. Entity data is a {@code google.protobuf.Struct}, whose numbers are doubles: a whole
 * number prints exactly up to 2<sup>53</sup> (9007199254740992); beyond that it is the nearest
 * double, so {@code 12345678901234567} is stored and printed as {@code 12345678901234568}. Whole
 * numbers of 10<sup>21</sup> and more print in exponent form, as JavaScript prints them. Stateless
 * and thread-safe.
 *
 * <p>Apart from those numbers the text is exactly what protobuf-java's {@link JsonFormat} prints
 * with {@code omittingInsignificantWhitespace()} (this class's tests compare the two over random
 * messages), but made here by walking the message: on its first use in a JVM, {@code JsonFormat}
 * initialises the descriptors of every well-known type and Gson, and for a timestamp a
 * {@code SimpleDateFormat} with its locale and calendar data, about 50 ms of a command-line
 * {@code get --json} (docs/cli.md). The two well-known types the contract does not use,
 * {@code Any} and {@code FieldMask}, are still printed by {@code JsonFormat}.
 */
public final class ProtoJson {

  /** Where JavaScript switches whole numbers to exponent form. */
  private static final double PLAIN_LIMIT = 1e21;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private ProtoJson() {}

  /**
   * {@code message} as one line of protobuf JSON (field names in lowerCamelCase, 64-bit integers
   * as strings, as protobuf's JSON mapping says), its numbers as described above.
   *
   * @throws IllegalArgumentException if the message holds a value JSON cannot represent (an
   *     {@code Any} of an unknown type, a NaN or an infinity in a Struct, a timestamp or duration
   *     out of range)
   */
  public static String print(MessageOrBuilder message) {
    StringBuilder out = new StringBuilder(256);
    message(out, message);
    return out.toString();
  }

  private static void message(StringBuilder out, MessageOrBuilder message) {
    Descriptor type = message.getDescriptorForType();
    switch (type.getFullName()) {
      case "google.protobuf.Timestamp" -> timestamp(out, message, type);
      case "google.protobuf.Duration" -> duration(out, message, type);
      case "google.protobuf.Struct" -> {
        FieldDescriptor fields = type.findFieldByName("fields");
        map(out, fields, message.getField(fields));
      }
      case "google.protobuf.Value" -> value(out, message);
      case "google.protobuf.ListValue" -> {
        FieldDescriptor values = type.findFieldByName("values");
        list(out, values, message.getField(values));
      }
      case "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.Int64Value",
          "google.protobuf.UInt64Value", "google.protobuf.Int32Value", "google.protobuf.UInt32Value",
          "google.protobuf.BoolValue", "google.protobuf.StringValue", "google.protobuf.BytesValue" -> {
        FieldDescriptor value = type.findFieldByName("value");
        single(out, value, message.getField(value), false);
      }
      case "google.protobuf.Any", "google.protobuf.FieldMask" -> out.append(printedByJsonFormat(message));
      default -> object(out, message);
    }
  }

  /** A message that is not a well-known type: its set fields in field-number order. */
  private static void object(StringBuilder out, MessageOrBuilder message) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      FieldDescriptor descriptor = field.getKey();
      out.append('"').append(descriptor.getJsonName()).append("\":");
      if (descriptor.isMapField()) {
        map(out, descriptor, field.getValue());
      } else if (descriptor.isRepeated()) {
        list(out, descriptor, field.getValue());
      } else {
        single(out, descriptor, field.getValue(), false);
      }
    }
    out.append('}');
  }

  private static void list(StringBuilder out, FieldDescriptor field, Object elements) {
    out.append('[');
    boolean first = true;
    for (Object element : (List<?>) elements) {
      if (!first) {
        out.append(',');
      }
      first = false;
      single(out, field, element, false);
    }
    out.append(']');
  }

  /** A map field: its entries, in the map's order, as an object whose keys are always strings. */
  private static void map(StringBuilder out, FieldDescriptor field, Object entries) {
    Descriptor entryType = field.getMessageType();
    FieldDescriptor key = entryType.findFieldByName("key");
    FieldDescriptor value = entryType.findFieldByName("value");
    out.append('{');
    boolean first = true;
    for (Object element : (List<?>) entries) {
      if (!first) {
        out.append(',');
      }
      first = false;
      Message entry = (Message) element;
      single(out, key, entry.getField(key), true);
      out.append(':');
      single(out, value, entry.getField(value), false);
    }
    out.append('}');
  }

  /** A {@code google.protobuf.Value}: the one value it holds, or {@code null} when it holds none. */
  private static void value(StringBuilder out, MessageOrBuilder message) {
    Map<FieldDescriptor, Object> kind = message.getAllFields();
    if (kind.isEmpty()) {
      out.append("null");
      return;
    }
    Map.Entry<FieldDescriptor, Object> only = kind.entrySet().iterator().next();
    if (only.getValue() instanceof Double number && (number.isNaN() || number.isInfinite())) {
      throw new IllegalArgumentException("google.protobuf.Value cannot encode double values for infinity or nan, "
          + "because they would be parsed as a string.");
    }
    single(out, only.getKey(), only.getValue(), false);
  }

  /** One value of {@code field}; {@code quoted}: a map key, which is a string whatever its type. */
  private static void single(StringBuilder out, FieldDescriptor field, Object value, boolean quoted) {
    String quote = quoted ? "\"" : "";
    switch (field.getType()) {
      case INT32, SINT32, SFIXED32 -> out.append(quote).append((int) (Integer) value).append(quote);
      case UINT32, FIXED32 -> out.append(quote).append(Integer.toUnsignedString((Integer) value)).append(quote);
      case INT64, SINT64, SFIXED64 -> out.append('"').append((long) (Long) value).append('"');
      case UINT64, FIXED64 -> out.append('"').append(Long.toUnsignedString((Long) value)).append('"');
      case BOOL -> out.append(quote).append((boolean) (Boolean) value).append(quote);
      case FLOAT -> {
        // The number a float's text shows, which is what JSON readers take it for.
        String text = Float.toString((Float) value);
        number(out, Double.parseDouble(text), text);
      }
      case DOUBLE -> number(out, (Double) value, Double.toString((Double) value));
      case STRING -> string(out, (String) value);
      case BYTES -> out.append('"').append(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()))
          .append('"');
      case ENUM -> {
        EnumValueDescriptor constant = (EnumValueDescriptor) value;
        if (field.getEnumType().getFullName().equals("google.protobuf.NullValue")) {
          out.append(quote).append("null").append(quote);
        } else if (constant.getIndex() == -1) {
          out.append(constant.getNumber()); // a number this program's contract does not name
        } else {
          out.append('"').append(constant.getName()).append('"');
        }
      }
      case MESSAGE, GROUP -> message(out, (MessageOrBuilder) value);
    }
  }

  /**
   * A float or double, {@code text} being how Java prints it: NaN and the infinities as strings,
   * a whole number below {@link #PLAIN_LIMIT} without fraction or exponent.
   */
  private static void number(StringBuilder out, double value, String text) {
    if (Double.isNaN(value)) {
      out.append("\"NaN\"");
    } else if (Double.isInfinite(value)) {
      out.append(value > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    } else if (value == Math.rint(value) && Math.abs(value) < PLAIN_LIMIT) {
      out.append(new BigDecimal(value).toBigInteger());
    } else {
      out.append(text);
    }
  }

  /** A JSON string, escaped as protobuf-java's printer (Gson's HTML-safe writer) escapes it. */
  private static void string(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\f' -> out.append("\\f");
        case '<', '>', '&', '=', '\'', '\u2028', '\u2029' -> unicodeEscape(out, c);
        default -> {
          if (c < 0x20) {
            unicodeEscape(out, c);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void unicodeEscape(StringBuilder out, char c) {
    out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf])
        .append(HEX[c & 0xf]);
  }

  /** RFC 3339 in UTC with 0, 3, 6 or 9 digits of fraction, as {@code Timestamps.toString}. */
  private static void timestamp(StringBuilder out, MessageOrBuilder message, Descriptor type) {
    Timestamp timestamp = Timestamps.checkValid(Timestamp.newBuilder()
        .setSeconds((Long) message.getField(type.findFieldByName("seconds")))
        .setNanos((Integer) message.getField(type.findFieldByName("nanos")))
        .build());
    // Instant prints the fraction in groups of three digits, as protobuf does.
    out.append('"').append(Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos())).append('"');
  }

  /** Seconds with 0, 3, 6 or 9 digits of fraction and an {@code s}. */
  private static void duration(StringBuilder out, MessageOrBuilder message, Descriptor type) {
    Duration duration = Duration.newBuilder()
        .setSeconds((Long) message.getField(type.findFieldByName("seconds")))
        .setNanos((Integer) message.getField(type.findFieldByName("nanos")))
        .build();
    out.append('"').append(Durations.toString(duration)).append('"');
  }

  private static String printedByJsonFormat(MessageOrBuilder message) {
    try {
      return JsonFormatHolder.PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not JSON-representable: " + e.getMessage(), e);
    }
  }

  /** Made on first use only: initialising {@code JsonFormat} is what this class avoids. */
  private static final class JsonFormatHolder {
    static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
  }
}
