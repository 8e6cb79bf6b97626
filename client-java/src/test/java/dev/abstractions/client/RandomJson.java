package dev.abstractions.client;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.Arrays;
import java.util.Random;

/**
 * Random entity data for tests of printing and reading JSON: {@code Struct}s, values and lists
 * nested a few levels, with the numbers and characters where printers and readers differ most
 * (negative zero, large and tiny numbers, NaN and the infinities unless only finite numbers are
 * asked for, characters JSON or HTML escapes, surrogate pairs).
 */
final class RandomJson {

  private static final double[] DOUBLES = {
    0, -0.0, 1, -1, 3, 3.5, 0.1, 1e-7, 5e-324, Double.MAX_VALUE, -Double.MAX_VALUE, 1e20, 1e21, 9.99e20,
    12345678901234567.0, 9007199254740993.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY
  };
  private static final String CHARACTERS = "aZ09 \"\\/\t\b\n\r\f\u0000\u001f\u007f<>&='\u2028\u2029é€😀";

  private final Random random;
  private final double[] doubles;

  /** @param finite numbers JSON text can carry only: no NaN, no infinities */
  RandomJson(Random random, boolean finite) {
    this.random = random;
    this.doubles = finite ? Arrays.stream(DOUBLES).filter(Double::isFinite).toArray() : DOUBLES;
  }

  Value value(int depth) {
    Value.Builder value = Value.newBuilder();
    switch (random.nextInt(depth > 2 ? 4 : 6)) {
      case 0 -> value.setNullValue(NullValue.NULL_VALUE);
      case 1 -> value.setNumberValue(number());
      case 2 -> value.setStringValue(string());
      case 3 -> value.setBoolValue(random.nextBoolean());
      case 4 -> value.setStructValue(struct(depth + 1));
      default -> value.setListValue(list(depth + 1));
    }
    return value.build();
  }

  Struct struct(int depth) {
    Struct.Builder struct = Struct.newBuilder();
    for (int n = random.nextInt(4); n > 0; n--) {
      struct.putFields(string(), value(depth));
    }
    return struct.build();
  }

  ListValue list(int depth) {
    ListValue.Builder list = ListValue.newBuilder();
    for (int n = random.nextInt(4); n > 0; n--) {
      list.addValues(value(depth));
    }
    return list.build();
  }

  double number() {
    return switch (random.nextInt(3)) {
      case 0 -> doubles[random.nextInt(doubles.length)];
      case 1 -> (double) (random.nextLong() >> random.nextInt(64));
      default -> random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20);
    };
  }

  String string() {
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
