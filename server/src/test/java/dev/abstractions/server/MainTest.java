package dev.abstractions.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class MainTest {

  @Test
  void leakDetectionIsOffInBothNettyCopiesUnlessTheOperatorSetIt() {
    Properties unset = new Properties();
    Main.leakDetectionOffUnlessSet(unset);
    assertThat(unset).containsExactlyInAnyOrderEntriesOf(Map.of(
        "io.grpc.netty.shaded.io.netty.leakDetection.level", "disabled",
        "org.apache.ratis.thirdparty.io.netty.leakDetection.level", "disabled"));

    Properties set = new Properties();
    set.setProperty("io.grpc.netty.shaded.io.netty.leakDetection.level", "paranoid");
    Main.leakDetectionOffUnlessSet(set);
    assertThat(set).containsExactlyInAnyOrderEntriesOf(Map.of(
        "io.grpc.netty.shaded.io.netty.leakDetection.level", "paranoid",
        "org.apache.ratis.thirdparty.io.netty.leakDetection.level", "disabled"));
  }
}
