package dev.abstractions.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdsTest {

  @Test
  void aUuidInEitherCaseIsItsLowercaseForm() {
    assertThat(Ids.canonical("3f2c1e4a-9b7d-4c21-8e5f-0a1b2c3d4e5f")).isEqualTo("3f2c1e4a-9b7d-4c21-8e5f-0a1b2c3d4e5f");
    assertThat(Ids.canonical("3F2C1E4A-9B7D-4C21-8E5F-0A1B2C3D4E5F")).isEqualTo("3f2c1e4a-9b7d-4c21-8e5f-0a1b2c3d4e5f");
    assertThat(Ids.canonical("3f2c1e4a-9b7d-4c21-8e5f-0a1b2c3d4e5F")).isEqualTo("3f2c1e4a-9b7d-4c21-8e5f-0a1b2c3d4e5f");
  }

  @Test
  void anythingElseIsNotAnId() {
    assertThat(Ids.canonical("")).isNull();
    assertThat(Ids.canonical("3f2c1e4a-9b7d-4c21-8e5f-0a1b2c3d4e5")).isNull(); // 35 characters
    assertThat(Ids.canonical("3f2c1e4a-9b7d-4c21-8e5f-0a1b2c3d4e5f0")).isNull();
    assertThat(Ids.canonical("3f2c1e4a-9b7d-4c21-8e5f-0a1b2c3d4e5g")).isNull();
    assertThat(Ids.canonical("3f2c1e4a-9b7d-4c21-8e5f-0a1b2c3d4e5G")).isNull();
    assertThat(Ids.canonical("3f2c1e4a-9b7d-4c21-8e5f-0a1b2c3d4e5é")).isNull();
    assertThat(Ids.canonical("3f2c1e4a9-b7d-4c21-8e5f-0a1b2c3d4e5f")).isNull(); // a dash out of place
    assertThat(Ids.canonical("3f2c1e4a-9b7d-4c21-8e5f+0a1b2c3d4e5f")).isNull();
    assertThat(Ids.canonical("{3f2c1e4-9b7d-4c21-8e5f-0a1b2c3d4e5f}")).isNull();
  }

  @Test
  void newIdsAreVersion4UuidsInCanonicalForm() {
    for (int i = 0; i < 1000; i++) {
      String id = Ids.newId();
      assertThat(Ids.canonical(id)).isEqualTo(id);
      UUID uuid = UUID.fromString(id);
      assertThat(uuid.version()).isEqualTo(4);
      assertThat(uuid.variant()).isEqualTo(2);
    }
  }
}
