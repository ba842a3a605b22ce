package dev.psp.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.EncoderType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Widths of scaled architectures, an encoder wider than its generator, and their opts round trip. */
class ArchitectureTest {
  @Test
  void theEncoderIsScaledLikeTheGeneratorUnlessToldOtherwise() {
    Architecture a = new Architecture(16, List.of(1, 2, 2, 1), 4);
    assertThat(a.encoderWidthDivisor()).isEqualTo(16);
    assertThat(a.bodyWidths()).containsExactly(4, 8, 16, 32);
    assertThat(a.toOpts()).doesNotContainKey("sdk_encoder_width_divisor");
    assertThat(Architecture.fromOpts(a.toOpts())).isEqualTo(a);
  }

  @Test
  void aWiderEncoderFeedsHeadsThatStillEmitTheGeneratorsStyleDimension() {
    Architecture a = new Architecture(16, List.of(1, 2, 2, 1), 4, 4);
    assertThat(a.bodyWidths()).containsExactly(16, 32, 64, 128);
    assertThat(a.styleDim()).isEqualTo(32);
    assertThat(a.generatorChannels().get(64)).isEqualTo(32);
    Map<String, Object> opts = a.toOpts();
    assertThat(opts).containsEntry("sdk_encoder_width_divisor", 4L);
    assertThat(Architecture.fromOpts(opts)).isEqualTo(a);
    assertThat(a.toString()).contains("width/16, encoder width/4");

    StateDictSpec spec = new PspNetwork(64, 3, EncoderType.GRADUAL_STYLE, a).stateDictSpec();
    assertThat(spec.get("encoder.input_layer.0.weight").shape()).containsExactly(16, 3, 3, 3);
    assertThat(spec.get("encoder.styles.0.convs.0.weight").shape()).containsExactly(32, 128, 3, 3);
    assertThat(spec.get("encoder.styles.9.linear.weight").shape()).containsExactly(32, 32);
    assertThat(spec.get("encoder.latlayer2.weight").shape()).containsExactly(128, 32, 1, 1);
    assertThat(spec.get("decoder.conv1.conv.weight").shape()).containsExactly(1, 32, 32, 3, 3);
  }

  @Test
  void divisorsMustBePowersOfTwo() {
    assertThatThrownBy(() -> new Architecture(16, List.of(1, 2, 2, 1), 4, 3))
        .hasMessageContaining("encoder width divisor must be a power of two in [1, 64], got 3");
    assertThatThrownBy(() -> Architecture.fromOpts(Map.of("sdk_encoder_width_divisor", 2.5)))
        .hasMessageContaining("sdk_encoder_width_divisor must be an integer");
  }
}
