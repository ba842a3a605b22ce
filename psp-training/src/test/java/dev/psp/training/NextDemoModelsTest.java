package dev.psp.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.TensorData;
import dev.psp.training.gan.StyleGan2Checkpoint;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pSp models kept in models/next (models/README.md, "next/"): each was trained at 128 px with the next generator
 * frozen as its decoder, so its decoder weights and latent_avg are that generator's.
 */
class NextDemoModelsTest {
  private static StyleGan2Checkpoint gan;

  @BeforeAll
  static void readTheGenerator() throws Exception {
    gan = StyleGan2Checkpoint.read(StyleGanArgsTest.NEXT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"inversion", "frontalization", "super_resolution", "inpainting", "sketch_to_face",
      "segmentation_to_face", "restyle_inversion"})
  void decodesWithTheNextGeneratorFrozen(String task) throws Exception {
    try (Checkpoint psp = CheckpointReader.read(Path.of("..", "models", "next", "demo_" + task + ".pt"))) {
      assertThat(psp.opts()).containsEntry("train_decoder", false).containsEntry("output_size", 128L);
      Map<String, TensorData> weights = psp.stateDict();
      int decoderKeys = 0;
      for (Map.Entry<String, TensorData> e : gan.gEma().entrySet()) {
        TensorData d = weights.get("decoder." + e.getKey());
        assertThat(d).as("decoder.%s", e.getKey()).isNotNull();
        assertThat(d.toFloatArray()).as("decoder.%s", e.getKey()).containsExactly(e.getValue().toFloatArray());
        decoderKeys++;
      }
      assertThat(weights.keySet().stream().filter(k -> k.startsWith("decoder.")).count()).isEqualTo(decoderKeys);
      float[] avg = psp.latentAvg().orElseThrow().toFloatArray();
      float[] w = gan.latentAvg().toFloatArray();
      assertThat(Arrays.copyOf(avg, w.length)).containsExactly(w);
    }
  }
}
