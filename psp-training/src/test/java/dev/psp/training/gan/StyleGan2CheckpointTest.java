package dev.psp.training.gan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.TensorData;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rosinality-layout checkpoint: what is written reads back to identical tensors, options and
 * optimizer state; the file has train.py's structure (torch Adam state_dicts included) and the
 * latent_avg pSp reads; state_dicts that do not fit the recorded shape are rejected.
 */
class StyleGan2CheckpointTest {
  private static final StyleGan2Config CONFIG = new StyleGan2Config(16, 32, 2);

  @Test
  void writtenCheckpointsReadBackIdentically(@TempDir Path dir) throws Exception {
    StyleGan2Options options = StyleGan2Options.defaults(4, 2).withDRegEvery(2)
        .withLatentAvgSamples(512).withOversampling(dev.psp.training.data.Oversampling.parse("smile=2"));
    StyleGan2Checkpoint written;
    Path file = dir.resolve("000002.pt");
    try (StyleGan2Trainer t = StyleGan2Trainer.create(CONFIG, options)) {
      t.train(new ShapesImageSource(16, 16, 1), t.steps() + 1, dev.psp.training.TrainingListener.silent());
      written = t.checkpoint();
      written.write(file);
    }
    StyleGan2Checkpoint read = StyleGan2Checkpoint.read(file);
    assertThat(read.config()).isEqualTo(CONFIG);
    assertThat(read.options()).isEqualTo(options);
    assertThat(read.step()).isEqualTo(2);
    assertThat(read.g().keySet()).containsExactlyElementsOf(written.g().keySet());
    StyleGan2TrainerTest.assertSameTensors(read.g(), written.g());
    StyleGan2TrainerTest.assertSameTensors(read.d(), written.d());
    StyleGan2TrainerTest.assertSameTensors(read.gEma(), written.gEma());
    StyleGan2TrainerTest.assertSameTensors(read.gOptim().state(), written.gOptim().state());
    StyleGan2TrainerTest.assertSameTensors(read.dOptim().state(), written.dOptim().state());
    assertThat(read.gOptim()).usingRecursiveComparison().ignoringFields("state")
        .isEqualTo(written.gOptim());
    assertThat(read.latentAvg().shape()).containsExactly(CONFIG.styleDim());
    assertThat(read.latentAvg().bytes()).isEqualTo(written.latentAvg().bytes());
    assertThat(read.gOptim().steps()).isEqualTo(2);
    assertThat(read.dOptim().steps()).isEqualTo(3); // two logistic steps, R1 at step 0

    try (Checkpoint c = CheckpointReader.read(file)) {
      @SuppressWarnings("unchecked")
      Map<Object, Object> root = (Map<Object, Object>) c.root();
      assertThat(root.keySet()).containsExactly("g", "d", "g_ema", "g_optim", "d_optim", "args",
          "latent_avg");
      assertThat(((Map<?, ?>) root.get("g_ema")).keySet()).first().isEqualTo("style.1.weight");
      Map<?, ?> args = (Map<?, ?>) root.get("args");
      assertThat(args.get("size")).isEqualTo(16L);
      assertThat(args.get("latent")).isEqualTo(16L);
      assertThat(args.get("n_mlp")).isEqualTo(2L);
      assertThat(args.get("sdk_width_divisor")).isEqualTo(32L);
      Map<?, ?> dOptim = (Map<?, ?>) root.get("d_optim");
      @SuppressWarnings("unchecked")
      Map<Object, Object> state = (Map<Object, Object>) dOptim.get("state");
      int dParams = StyleGan2Checkpoint.parameterKeys(CONFIG.discriminator().stateDictSpec()).size();
      assertThat(state).hasSize(dParams).containsKey(0L);
      Map<?, ?> first = (Map<?, ?>) state.get(0L);
      assertThat(((TensorData) first.get("step")).toFloatArray()).containsExactly(3f);
      assertThat(((TensorData) first.get("exp_avg")).shape()).containsExactly(16, 3, 1, 1);
      Map<?, ?> group = (Map<?, ?>) ((List<?>) dOptim.get("param_groups")).get(0);
      assertThat((List<?>) group.get("params")).hasSize(dParams);
      assertThat((double) group.get("lr")).isEqualTo(0.002 * 2 / 3);
      assertThat(List.copyOf((List<?>) group.get("betas"))).isEqualTo(List.of(0.0, Math.pow(0.99, 2.0 / 3)));
    }
  }

  @Test
  void stateDictsThatDoNotFitAreRejected(@TempDir Path dir) throws Exception {
    StyleGan2Checkpoint c;
    try (StyleGan2Trainer t = StyleGan2Trainer.create(CONFIG,
        StyleGan2Options.defaults(4, 2).withLatentAvgSamples(64))) {
      c = t.checkpoint();
    }
    Map<String, TensorData> d = new LinkedHashMap<>(c.d());
    d.remove("final_linear.1.bias");
    assertThatThrownBy(() -> new StyleGan2Checkpoint(c.config(), c.options(), 0, c.g(), d,
        c.gEma(), null, null, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'d'").hasMessageContaining("final_linear.1.bias");
    StyleGan2Checkpoint wider = new StyleGan2Checkpoint(c.config(), c.options(), 0, c.g(), c.d(),
        c.gEma(), null, null, null);
    Path file = dir.resolve("x.pt");
    wider.write(file);
    StyleGan2Checkpoint back = StyleGan2Checkpoint.read(file);
    assertThat(back.gOptim()).isNull();
    assertThat(back.latentAvg()).isNull();
    assertThatThrownBy(() -> new StyleGan2Checkpoint(new StyleGan2Config(16, 16, 2), c.options(), 0,
        c.g(), c.d(), c.gEma(), null, null, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shape mismatch");
  }

  @Test
  void argsWithoutOversamplingReadAsNoneAndOthersAreRefused() {
    java.util.Map<String, Object> args = new java.util.LinkedHashMap<>(StyleGan2Options.defaults(4, 2).toArgs());
    assertThat(args).containsEntry("sdk_oversample", "");
    args.remove("sdk_oversample"); // a checkpoint written before it was recorded
    assertThat(StyleGan2Options.fromArgs(args).oversampling()).isEqualTo(dev.psp.training.data.Oversampling.NONE);
    args.put("sdk_oversample", "glasses=3");
    assertThat(StyleGan2Options.fromArgs(args).oversampling().toString()).isEqualTo("glasses=3");
    args.put("sdk_oversample", 3L);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> StyleGan2Options.fromArgs(args))
        .hasMessageContaining("args.sdk_oversample must be a string");
  }
}
