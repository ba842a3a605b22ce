package dev.psp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelConfigTest {
  @Test
  void missingOptsAreFilledAsTheOfficialScriptsDo() throws Exception {
    ModelConfig c = ModelConfig.fromOpts(Map.of("device", "cuda:0"), true);
    assertThat(c.outputSize()).isEqualTo(1024);
    assertThat(c.nStyles()).isEqualTo(18);
    assertThat(c.learnInW()).isFalse();
    assertThat(c.inputNc()).isEqualTo(3);
    assertThat(c.encoderType()).isEqualTo(EncoderType.GRADUAL_STYLE);
    assertThat(c.startFromLatentAvg()).isTrue();
    assertThat(c.task()).isEqualTo(TranslationTask.INVERSION);
    assertThat(ModelConfig.fromOpts(Map.of(), false).startFromLatentAvg()).isFalse();
  }

  @Test
  void readsOfficialOptions() throws Exception {
    ModelConfig c = ModelConfig.fromOpts(Map.of("output_size", 256L, "input_nc", 19L, "label_nc", 19L,
        "dataset_type", "celebs_seg_to_face", "encoder_type", "BackboneEncoderUsingLastLayerIntoW",
        "learn_in_w", true, "start_from_latent_avg", true, "train_decoder", "False"), true);
    assertThat(c.nStyles()).isEqualTo(14);
    assertThat(c.task()).isEqualTo(TranslationTask.SEGMENTATION_TO_FACE);
    assertThat(c.encoderType()).isEqualTo(EncoderType.INTO_W);
    assertThat(c.encoderRows()).isEqualTo(1);
    assertThat(ModelConfig.stylesFor(512)).isEqualTo(16);
  }

  @Test
  void impossibleValuesNameTheOption() {
    assertThatThrownBy(() -> ModelConfig.fromOpts(Map.of("output_size", 1000L), true))
        .isInstanceOf(CheckpointFormatException.class).hasMessageContaining("output_size");
    assertThatThrownBy(() -> ModelConfig.fromOpts(Map.of("encoder_type", "Foo"), true))
        .isInstanceOf(CheckpointFormatException.class).hasMessageContaining("unknown encoder_type 'Foo'");
    assertThatThrownBy(() -> ModelConfig.fromOpts(Map.of("input_nc", "three"), true))
        .isInstanceOf(CheckpointFormatException.class).hasMessageContaining("input_nc");
    assertThatThrownBy(() -> ModelConfig.fromOpts(Map.of("output_size", 300L), true))
        .isInstanceOf(CheckpointFormatException.class).hasMessageContaining("output_size");
    assertThatThrownBy(() -> ModelConfig.fromOpts(Map.of("input_nc", 0L), true))
        .isInstanceOf(CheckpointFormatException.class).hasMessageContaining("input_nc must be >= 1, got 0");
    assertThatThrownBy(() -> ModelConfig.fromOpts(Map.of("sdk_width_divisor", 3L), true))
        .isInstanceOf(CheckpointFormatException.class).hasMessageContaining("width divisor must be a power of two");
  }

  @Test
  void identifiesTheE4eAndReStyleFamiliesFromTheirOpts() throws Exception {
    ModelConfig e4e = ModelConfig.fromOpts(Map.of("encoder_type", "Encoder4Editing", "stylegan_size", 256L,
        "dataset_type", "ffhq_encode"), true);
    assertThat(e4e.family()).isEqualTo(ModelFamily.E4E);
    assertThat(e4e.outputSize()).isEqualTo(256); // e4e names it stylegan_size
    assertThat(e4e.iterative()).isFalse();
    assertThat(e4e.imageNc()).isEqualTo(3);
    ModelConfig restyle = ModelConfig.fromOpts(Map.of("encoder_type", "ResNetProgressiveBackboneEncoder",
        "input_nc", 6L, "output_size", 1024L, "n_iters_per_batch", 3L), true);
    assertThat(restyle.family()).isEqualTo(ModelFamily.RESTYLE_E4E);
    assertThat(restyle.imageNc()).isEqualTo(3);
    assertThat(restyle.defaultIterations()).isEqualTo(3);
    // ReStyle's options over pSp's pyramid encoder (restyle-encoder's fpn_encoders) iterate too
    ModelConfig fpn = ModelConfig.fromOpts(Map.of("encoder_type", "GradualStyleEncoder", "input_nc", 6L,
        "n_iters_per_batch", 5L), true);
    assertThat(fpn.family()).isEqualTo(ModelFamily.RESTYLE_PSP);
    assertThat(ModelConfig.fromOpts(Map.of("encoder_type", "BackboneEncoder", "input_nc", 6L), true)
        .defaultIterations()).isEqualTo(5);
    assertThatThrownBy(() -> ModelConfig.fromOpts(Map.of("encoder_type", "BackboneEncoder", "input_nc", 3L), true))
        .isInstanceOf(CheckpointFormatException.class).hasMessageContaining("6 for RGB");
  }

  @Test
  void labelNcDecidesTheTaskWhenTheDatasetIsUnknown() {
    assertThat(TranslationTask.fromOpts("my_data", 1)).isEqualTo(TranslationTask.SKETCH_TO_FACE);
    assertThat(TranslationTask.fromOpts(null, 19)).isEqualTo(TranslationTask.SEGMENTATION_TO_FACE);
    assertThat(TranslationTask.fromOpts("celebs_super_resolution", 0)).isEqualTo(TranslationTask.SUPER_RESOLUTION);
  }
}
