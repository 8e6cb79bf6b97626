package dev.abstractions.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One bad call in a table-driven test and exactly how the server must refuse it: status code,
 * ErrorInfo reason ("" for a transport-level refusal that carries no details) and metadata, and
 * the BadRequest field violations in order.
 */
record BadCall<S>(String name, Consumer<S> call, Status.Code code, String reason, Map<String, String> metadata,
    List<String> violatedFields) {

  /** INVALID_ARGUMENT naming exactly {@code fields}. */
  static <S> BadCall<S> invalid(String name, Consumer<S> call, String... fields) {
    return new BadCall<>(name, call, Status.Code.INVALID_ARGUMENT, "INVALID_REQUEST", Map.of(), List.of(fields));
  }

  /** Makes the call on {@code stub} and asserts the refusal is exactly this one. */
  void assertRefusedBy(S stub) throws InvalidProtocolBufferException {
    StatusRuntimeException error = catchThrowableOfType(StatusRuntimeException.class, () -> call.accept(stub));
    assertThat(error).as("the call must fail").isNotNull();
    assertThat(error.getStatus().getCode()).as(error.getStatus().toString()).isEqualTo(code);
    com.google.rpc.Status details = StatusProto.fromThrowable(error);
    if (reason.isEmpty()) {
      assertThat(details == null ? List.of() : details.getDetailsList())
          .as("a transport-level refusal carries no details")
          .isEmpty();
      return;
    }
    ErrorInfo info = unpack(details, ErrorInfo.class);
    assertThat(info.getReason()).isEqualTo(reason);
    assertThat(info.getDomain()).isEqualTo("abstractions.dev");
    assertThat(info.getMetadataMap()).isEqualTo(metadata);
    if (violatedFields.isEmpty()) {
      assertThat(details.getDetailsList()).noneMatch(any -> any.is(BadRequest.class));
    } else {
      assertThat(unpack(details, BadRequest.class).getFieldViolationsList())
          .extracting(BadRequest.FieldViolation::getField)
          .containsExactlyElementsOf(violatedFields);
    }
  }

  @Override
  public String toString() {
    return name;
  }

  private static <T extends Message> T unpack(com.google.rpc.Status status, Class<T> type)
      throws InvalidProtocolBufferException {
    assertThat(status).isNotNull();
    for (Any detail : status.getDetailsList()) {
      if (detail.is(type)) {
        return detail.unpack(type);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + status);
  }
}
