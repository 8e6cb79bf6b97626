package dev.abstractions.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;

/** Entity data as JSON text: the form every language and grpcurl share. */
public final class Structs {

  private Structs() {}

  /** Parses a JSON object, e.g. {@code {"name": "Ada", "credits": 3}}. */
  public static Struct fromJson(String json) {
    Struct.Builder struct = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(json, struct);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not a JSON object: " + e.getMessage(), e);
    }
    return struct.build();
  }

  /** Prints data as compact JSON. */
  public static String toJson(Struct data) {
    try {
      return JsonFormat.printer().omittingInsignificantWhitespace().print(data);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("data is not JSON-representable: " + e.getMessage(), e);
    }
  }
}
