package dev.psp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EnginesTest {
  @AfterEach
  void clearProperty() {
    System.clearProperty("psp.engine");
  }

  @Test
  void serviceLoaderFindsTheRegisteredEngine() {
    assertThat(Engines.names()).contains("toy");
    assertThat(Engines.choose("toy").name()).isEqualTo("toy");
    assertThat(Engines.choose("TOY").version()).isEqualTo("toy 1");
  }

  @Test
  void unknownEngineListsTheAvailableOnes() {
    assertThatThrownBy(() -> Engines.choose("tensorflow"))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("unknown engine 'tensorflow'")
        .hasMessageContaining("available: ")
        .hasMessageContaining("toy");
  }

  @Test
  void propertyChoosesWhenNoNameIsGiven() {
    System.setProperty("psp.engine", "nope");
    assertThatThrownBy(() -> Engines.choose(null)).hasMessageContaining("PSP_ENGINE");
    System.setProperty("psp.engine", "toy");
    assertThat(Engines.choose(null).name()).isEqualTo("toy");
  }
}
