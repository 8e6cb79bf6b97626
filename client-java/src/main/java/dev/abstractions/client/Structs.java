package dev.abstractions.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;

/**
 * Entity data as JSON text: the form every language and grpcurl share. Data is a protobuf {@code
 * Struct}, so its numbers are doubles: whole numbers are exact up to 2<sup>53</sup> (see {@link
 * ProtoJson}). Stateless and thread-safe.
 */
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

  /**
   * Prints data as compact JSON, whole numbers without a fraction ({@code {"credits":3}}); see
   * {@link ProtoJson} for the precision of numbers.
   */
  public static String toJson(Struct data) {
    return ProtoJson.print(data);
  }
}
