package dev.abstractions.client.cli;

import com.google.protobuf.Struct;
import dev.abstractions.api.v1.EventKind;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.client.Structs;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Turns command-line text into the contract's types, with messages that say what is accepted. */
final class Converters {

  private Converters() {}

  /** A JSON object, e.g. {@code {"name":"Ada","credits":3}}. */
  static final class JsonObject implements ITypeConverter<Struct> {
    @Override
    public Struct convert(String value) {
      try {
        return Structs.fromJson(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("expected a JSON object such as '{\"name\":\"Ada\"}', got '" + value
            + "' (" + e.getMessage() + ")");
      }
    }
  }

  /** An event kind as {@code entity_versioned}, {@code ENTITY_VERSIONED} or {@code EVENT_ENTITY_VERSIONED}. */
  static final class Kind implements ITypeConverter<EventKind> {
    static final String NAMES = Arrays.stream(EventKind.values())
        .filter(kind -> kind != EventKind.EVENT_KIND_UNSPECIFIED && kind != EventKind.UNRECOGNIZED)
        .map(kind -> kind.name().substring("EVENT_".length()).toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", "));

    @Override
    public EventKind convert(String value) {
      String name = value.toUpperCase(Locale.ROOT);
      for (EventKind kind : EventKind.values()) {
        if (kind != EventKind.EVENT_KIND_UNSPECIFIED && kind != EventKind.UNRECOGNIZED
            && (kind.name().equals(name) || kind.name().equals("EVENT_" + name))) {
          return kind;
        }
      }
      throw new TypeConversionException("unknown event kind '" + value + "'; one of: " + NAMES);
    }
  }

  /** An operation status by name, in any case, e.g. {@code succeeded}. */
  static final class Status implements ITypeConverter<OperationStatus> {
    static final String NAMES = Arrays.stream(OperationStatus.values())
        .filter(status -> status != OperationStatus.OPERATION_STATUS_UNSPECIFIED
            && status != OperationStatus.UNRECOGNIZED)
        .map(Enum::name)
        .collect(Collectors.joining(", "));

    @Override
    public OperationStatus convert(String value) {
      String name = value.toUpperCase(Locale.ROOT);
      for (OperationStatus status : OperationStatus.values()) {
        if (status != OperationStatus.OPERATION_STATUS_UNSPECIFIED && status != OperationStatus.UNRECOGNIZED
            && status.name().equals(name)) {
          return status;
        }
      }
      throw new TypeConversionException("unknown operation status '" + value + "'; one of: " + NAMES);
    }
  }
}
