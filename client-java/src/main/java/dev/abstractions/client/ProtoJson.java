package dev.abstractions.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.math.BigDecimal;

/**
 * Protobuf messages as compact JSON text with numbers printed as JSON numbers are elsewhere
 * (grpcurl, Go, JavaScript): a whole number without a fraction, {@code 3} rather than protobuf-java's
 * {@code 3.0}. Entity data is a {@code google.protobuf.Struct}, whose numbers are doubles: a whole
 * number prints exactly up to 2<sup>53</sup> (9007199254740992); beyond that it is the nearest
 * double, so {@code 12345678901234567} is stored and printed as {@code 12345678901234568}. Whole
 * numbers of 10<sup>21</sup> and more print in exponent form, as JavaScript prints them. Stateless
 * and thread-safe.
 */
public final class ProtoJson {

  private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
  /** Where JavaScript switches whole numbers to exponent form. */
  private static final double PLAIN_LIMIT = 1e21;

  private ProtoJson() {}

  /**
   * {@code message} as one line of protobuf JSON (field names in lowerCamelCase, 64-bit integers
   * as strings, as protobuf's JSON mapping says), its numbers as described above.
   *
   * @throws IllegalArgumentException if the message holds a value JSON cannot represent (an
   *     {@code Any} of an unknown type, a NaN in a Struct)
   */
  public static String print(MessageOrBuilder message) {
    try {
      return wholeNumbersPlain(PRINTER.print(message));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not JSON-representable: " + e.getMessage(), e);
    }
  }

  /** Rewrites each number token outside strings that is a whole number with a fraction or exponent. */
  static String wholeNumbersPlain(String json) {
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
        out.append(number(json.substring(i, end)));
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static String number(String token) {
    if (token.indexOf('.') < 0 && token.indexOf('e') < 0 && token.indexOf('E') < 0) {
      return token;
    }
    double value = Double.parseDouble(token);
    if (value == Math.rint(value) && Math.abs(value) < PLAIN_LIMIT) {
      return new BigDecimal(value).toBigInteger().toString();
    }
    return token;
  }
}
