package dev.abstractions.cli;

import com.google.protobuf.Struct;
import dev.abstractions.api.v1.EventKind;
import dev.abstractions.api.v1.OperationStatus;
import dev.abstractions.api.v1.PriorityClass;
import dev.abstractions.api.v1.TreeChange;
import dev.abstractions.api.v1.WriteTreeRequest;
import dev.abstractions.client.Structs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Turns command-line text into the contract's types, with messages that say what is accepted. */
final class Converters {

  private Converters() {}

  /**
   * A JSON object given as itself (e.g. {@code {"name":"Ada","credits":3}}), as {@code -} for
   * standard input, or as {@code @FILE} for a file's contents (UTF-8). Registered for every
   * {@link JsonData} option; standard input can be read once.
   */
  static final class JsonObject implements ITypeConverter<JsonData> {

    private final InputStream stdin;

    JsonObject(InputStream stdin) {
      this.stdin = stdin;
    }

    @Override
    public JsonData convert(String value) {
      String json;
      String source;
      if (value.equals("-")) {
        json = read("standard input", stdin::readAllBytes);
        source = "standard input";
      } else if (value.startsWith("@")) {
        Path file = Path.of(value.substring(1));
        json = read("file " + file, () -> Files.readAllBytes(file));
        source = "file " + file;
      } else {
        json = value;
        source = "'" + value + "'";
      }
      try {
        return new JsonData(Structs.fromJson(json));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("expected a JSON object such as '{\"name\":\"Ada\"}', got " + source
            + " (" + e.getMessage() + ")");
      }
    }

    private interface Bytes {
      byte[] read() throws IOException;
    }

    private static String read(String what, Bytes bytes) {
      try {
        return new String(bytes.read(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new TypeConversionException("cannot read " + what + ": " + e);
      }
    }
  }

  /**
   * A JSON object option's value. Not the {@link Struct} itself: picocli turns each option value
   * into text as it sets it ({@code String.valueOf}), and a {@code Struct} prints itself with
   * protobuf's {@code TextFormat}, which sets itself up on first use, for nothing.
   */
  static final class JsonData {
    private final Struct struct;

    JsonData(Struct struct) {
      this.struct = struct;
    }

    Struct struct() {
      return struct;
    }
  }

  /**
   * The changes of one {@code tree write}, in the order given. Not a record, for the reason {@link
   * JsonData} is not a {@code Struct}: a record's {@code toString} would print every change.
   */
  static final class TreeChanges {
    private final List<TreeChange> changes;

    TreeChanges(List<TreeChange> changes) {
      this.changes = changes;
    }

    List<TreeChange> changes() {
      return changes;
    }
  }

  /**
   * The changes of a {@code tree write}: a JSON object {@code {"changes":[...]}}, given as {@link
   * JsonObject} takes one (itself, {@code -} or {@code @FILE}), each change a {@code TreeChange}
   * in protobuf JSON as {@code --json} prints them, e.g. {@code {"update":{"lineageId":"…",
   * "data":{…}}}}, {@code {"create":{"parentLineageId":"…","entityType":"Line","data":{…}}}} or
   * {@code {"delete":{"lineageId":"…"}}}: the {@code WriteTreeRequest} without the root and tree
   * version, which are options. Registered for {@link TreeChanges}.
   */
  static final class TreeChangesJson implements ITypeConverter<TreeChanges> {

    private static final String SHAPE = "expected {\"changes\":[...]} with at least one change such as "
        + "{\"update\":{\"lineageId\":\"…\",\"data\":{…}}}";

    private final JsonObject object;

    TreeChangesJson(InputStream stdin) {
      this.object = new JsonObject(stdin);
    }

    @Override
    public TreeChanges convert(String value) {
      Struct changes = object.convert(value).struct();
      if (!changes.getFieldsMap().keySet().equals(Set.of("changes"))) {
        throw new TypeConversionException(SHAPE + ", got the keys " + changes.getFieldsMap().keySet());
      }
      WriteTreeRequest.Builder parsed = WriteTreeRequest.newBuilder();
      try {
        StructMessages.merge(changes, parsed);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(SHAPE + " (" + e.getMessage() + ")");
      }
      if (parsed.getChangesCount() == 0) {
        throw new TypeConversionException(SHAPE + ", got no change");
      }
      return new TreeChanges(List.copyOf(parsed.getChangesList()));
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

  /** A priority class by name, in any case: STRUCTURAL, NORMAL or LOW. */
  static final class Priority implements ITypeConverter<PriorityClass> {
    @Override
    public PriorityClass convert(String value) {
      String name = value.toUpperCase(Locale.ROOT);
      for (PriorityClass priorityClass : List.of(PriorityClass.STRUCTURAL, PriorityClass.NORMAL, PriorityClass.LOW)) {
        if (priorityClass.name().equals(name)) {
          return priorityClass;
        }
      }
      throw new TypeConversionException("unknown priority class '" + value + "'; one of: STRUCTURAL, NORMAL, LOW");
    }
  }
}
