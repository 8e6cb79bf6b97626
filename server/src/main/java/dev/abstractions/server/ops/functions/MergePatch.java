package dev.abstractions.server.ops.functions;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.Map;

/**
 * {@code merge-patch}, args {@code {"patch": {...}}}: applies {@code patch} to the data as a JSON
 * Merge Patch (RFC 7386). A null in the patch removes the key, an object merges recursively into
 * the object at that key (or into an empty object if the key holds anything else), and any other
 * value replaces what is there. The patch must be an object, since entity data always is.
 * Stateless and thread-safe.
 */
final class MergePatch implements ServerFunction {

  private static final String PATCH = "patch";

  @Override
  public String name() {
    return "merge-patch";
  }

  @Override
  public void checkArguments(Struct args) throws InvalidArgumentsException {
    FunctionArguments.checkKnown(args, name(), PATCH);
    Value patch = FunctionArguments.required(args, PATCH);
    if (!patch.hasStructValue()) {
      throw new InvalidArgumentsException(PATCH, "must be an object, was " + StructPaths.describe(patch));
    }
  }

  @Override
  public Struct apply(Struct current, Struct args) {
    return merge(current, args.getFieldsOrThrow(PATCH).getStructValue());
  }

  private static Struct merge(Struct target, Struct patch) {
    Struct.Builder result = target.toBuilder();
    for (Map.Entry<String, Value> entry : patch.getFieldsMap().entrySet()) {
      String key = entry.getKey();
      Value change = entry.getValue();
      if (change.hasNullValue()) {
        result.removeFields(key);
      } else if (change.hasStructValue()) {
        Value existing = target.getFieldsOrDefault(key, null);
        Struct base = existing != null && existing.hasStructValue()
            ? existing.getStructValue()
            : Struct.getDefaultInstance();
        Struct merged = merge(base, change.getStructValue());
        result.putFields(key, Value.newBuilder().setStructValue(merged).build());
      } else {
        result.putFields(key, change);
      }
    }
    return result.build();
  }
}
