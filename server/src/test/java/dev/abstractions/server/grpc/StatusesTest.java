package dev.abstractions.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusesTest {

  @Test
  void anAnswerCarriesItsDetailsAsStatusProtoReadsThemAndNoStackTrace() throws Exception {
    StatusRuntimeException answer =
        Statuses.error(Code.ABORTED, "VERSION_CONFLICT", "lost the race", Map.of("current_version", "7"));

    assertThat(answer.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
    assertThat(answer.getStatus().getDescription()).isEqualTo("lost the race");
    assertThat(answer.getStackTrace()).isEmpty();
    com.google.rpc.Status details = StatusProto.fromThrowable(answer);
    assertThat(details.getCode()).isEqualTo(Code.ABORTED_VALUE);
    assertThat(details.getMessage()).isEqualTo("lost the race");
    ErrorInfo info = details.getDetails(0).unpack(ErrorInfo.class);
    assertThat(info.getReason()).isEqualTo("VERSION_CONFLICT");
    assertThat(info.getDomain()).isEqualTo(Statuses.DOMAIN);
    assertThat(info.getMetadataMap()).containsExactly(Map.entry("current_version", "7"));
  }
}
