package dev.psp.training.gan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.io.TensorData;
import dev.psp.nn.PspNetwork;
import dev.psp.training.ModelInit;
import dev.psp.training.PspWeights;
import dev.psp.training.TrainOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pSp training starts from an SDK StyleGAN2 checkpoint as from the official one ({@code
 * stylegan_weights}): the decoder gets every {@code g_ema} tensor and latent_avg is {@code
 * ckpt['latent_avg']} repeated to n_styles rows.
 */
class PspInitFromGanCheckpointTest {

  @Test
  void pspTakesTheDecoderAndLatentAvgFromTheCheckpoint(@TempDir Path dir) throws Exception {
    StyleGan2Config config = new StyleGan2Config(16, 32, 2);
    Path file = dir.resolve("gan.pt");
    StyleGan2Checkpoint c;
    try (StyleGan2Trainer t = StyleGan2Trainer.create(config,
        StyleGan2Options.defaults(4, 9).withLatentAvgSamples(256))) {
      t.train(new ShapesImageSource(8, 16, 2), t.steps(), dev.psp.training.TrainingListener.silent());
      c = t.checkpoint();
      c.write(file);
    }
    TrainOptions opts = TrainOptions.of(Map.of("output_size", 16L, "stylegan_weights",
        file.toString(), "sdk_width_divisor", 32L, "sdk_n_mlp", 2L, "sdk_body_units",
        List.of(1L, 1L, 1L, 1L)));
    PspNetwork net = new PspNetwork(16, 3, opts.encoderType(), opts.architecture());
    PspWeights w = ModelInit.load(opts, net);
    int decoderKeys = 0;
    for (String k : net.stateDictSpec().keys()) {
      if (k.startsWith("decoder.")) {
        decoderKeys++;
        TensorData want = c.gEma().get(k.substring("decoder.".length()));
        assertThat(want).as(k).isNotNull();
        assertThat(w.stateDict().get(k).bytes()).as(k).isEqualTo(want.bytes());
      }
    }
    assertThat(decoderKeys).isEqualTo(c.gEma().size());
    float[] avg = c.latentAvg().toFloatArray();
    float[] rows = w.latentAvg().toFloatArray();
    assertThat(w.latentAvg().shape()).containsExactly(net.nStyles(), config.styleDim());
    for (int r = 0; r < net.nStyles(); r++) {
      assertThat(java.util.Arrays.copyOfRange(rows, r * avg.length, (r + 1) * avg.length))
          .containsExactly(avg);
    }
  }
}
