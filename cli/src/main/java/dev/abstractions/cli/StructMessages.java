package dev.abstractions.cli;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.abstractions.client.ProtoJson;
import java.util.Map;

/**
 * Fills a request message from JSON already read as a {@link Struct}, the way protobuf's JSON
 * mapping reads it: fields by their JSON (lowerCamel) or proto name, 64-bit integers as numbers or
 * decimal strings, {@code null} for a field left unset, {@code Struct} fields as they are.
 * protobuf's {@code JsonFormat} reads the same, but from text, so the object would be printed
 * back to text for it, and its first use in a JVM builds the descriptors of every well-known type:
 * work a command, a fresh JVM each time, would pay for at every start.
 *
 * <p>It takes the kinds of field that {@code tree write}'s changes have: strings, signed 64-bit
 * integers, {@code Struct}s, messages of those, and lists of them. Any other kind is refused with
 * {@link IllegalStateException}: {@code StructMessagesTest} fills every field of those messages,
 * so a field of another kind added to them fails it.
 */
final class StructMessages {

  private StructMessages() {}

  /**
   * Sets the fields {@code object} names on {@code message}.
   *
   * @throws IllegalArgumentException naming the first field that does not exist, has a value of
   *     the wrong kind, is given twice, or is one of a oneof another field already set
   */
  static void merge(Struct object, Message.Builder message) {
    merge(object, message, "");
  }

  private static void merge(Struct object, Message.Builder message, String path) {
    Descriptor type = message.getDescriptorForType();
    for (Map.Entry<String, Value> entry : object.getFieldsMap().entrySet()) {
      String name = entry.getKey();
      String at = path.isEmpty() ? name : path + "." + name;
      FieldDescriptor field = field(type, name);
      if (field == null) {
        throw new IllegalArgumentException("no field '" + at + "' in " + type.getName());
      }
      Value value = entry.getValue();
      if (value.hasNullValue()) {
        continue;
      }
      if (field.isRepeated() ? message.getRepeatedFieldCount(field) > 0 : message.hasField(field)) {
        throw new IllegalArgumentException("'" + at + "' is given twice, by its JSON name and its proto name");
      }
      if (field.getRealContainingOneof() != null && message.hasOneof(field.getRealContainingOneof())) {
        throw new IllegalArgumentException("'" + at + "' and '" + (path.isEmpty() ? "" : path + ".")
            + message.getOneofFieldDescriptor(field.getRealContainingOneof()).getJsonName()
            + "' are both given, but only one of them can be");
      }
      if (field.isRepeated()) {
        if (!value.hasListValue()) {
          throw new IllegalArgumentException("'" + at + "' must be a list, was " + kind(value));
        }
        int index = 0;
        for (Value element : value.getListValue().getValuesList()) {
          message.addRepeatedField(field, single(field, element, message, at + "[" + index++ + "]"));
        }
      } else {
        message.setField(field, single(field, value, message, at));
      }
    }
  }

  private static FieldDescriptor field(Descriptor type, String name) {
    for (FieldDescriptor field : type.getFields()) {
      if (field.getJsonName().equals(name) || field.getName().equals(name)) {
        return field;
      }
    }
    return null;
  }

  private static Object single(FieldDescriptor field, Value value, Message.Builder parent, String at) {
    return switch (field.getType()) {
      case STRING -> {
        if (!value.hasStringValue()) {
          throw new IllegalArgumentException("'" + at + "' must be a string, was " + kind(value));
        }
        yield value.getStringValue();
      }
      case INT64, SINT64, SFIXED64 -> integer(value, at);
      case MESSAGE -> {
        boolean struct = field.getMessageType().equals(Struct.getDescriptor());
        boolean wellKnown = field.getMessageType().getFile().getPackage().equals("google.protobuf");
        if (!struct && (field.isMapField() || wellKnown)) {
          throw new IllegalStateException("maps and well-known types but Struct are not taken: " + field.getFullName());
        }
        if (!value.hasStructValue()) {
          throw new IllegalArgumentException("'" + at + "' must be an object, was " + kind(value));
        }
        if (struct) {
          yield value.getStructValue();
        }
        Message.Builder nested = parent.newBuilderForField(field);
        merge(value.getStructValue(), nested, at);
        yield nested.build();
      }
      default -> throw new IllegalStateException(field.getType() + " fields are not taken: " + field.getFullName());
    };
  }

  /** A signed 64-bit whole number, given as a JSON number or as a string of decimal digits. */
  private static long integer(Value value, String at) {
    if (value.hasStringValue()) {
      try {
        return Long.parseLong(value.getStringValue());
      } catch (NumberFormatException e) {
        // said below
      }
    } else if (value.hasNumberValue()) {
      double number = value.getNumberValue();
      // Struct numbers are doubles: whole numbers past 2^53 have already lost digits. 2^63 is a double.
      if (number == Math.rint(number) && number >= Long.MIN_VALUE && number < 0x1p63) {
        return (long) number;
      }
    }
    throw new IllegalArgumentException("'" + at + "' must be a whole number (64 bits), was " + kind(value));
  }

  private static String kind(Value value) {
    return switch (value.getKindCase()) {
      case STRING_VALUE -> "the string " + ProtoJson.print(value);
      case NUMBER_VALUE -> "the number " + ProtoJson.print(value);
      case BOOL_VALUE -> value.getBoolValue() ? "true" : "false";
      case STRUCT_VALUE -> "an object";
      case LIST_VALUE -> "a list";
      default -> "null";
    };
  }
}
