package dev.psp.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.training.data.Oversampling;
import dev.psp.training.gan.StyleGan2Checkpoint;
import dev.psp.training.gan.StyleGan2Config;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator options a StyleGAN2 file's args decide, and the documented option list. */
class StyleGanArgsTest {
  /**
   * The bundled StyleGAN2: 128 px, width divisor 16, 4 mapping layers, written by psp train-stylegan (step 1 of
   * scripts/train_demo_models.sh).
   */
  static final Path BUNDLED = Path.of("..", "models", "demo_stylegan2.pt");
  /** The bundled StyleGAN2 trained further: the generator of the next demo models (models/README.md, "next/"). */
  static final Path NEXT = Path.of("..", "models", "next", "stylegan2_128.pt");

  @Test
  void theBundledGeneratorIsWhatItsScriptTrains() throws Exception {
    StyleGan2Checkpoint c = StyleGan2Checkpoint.read(BUNDLED);
    assertThat(c.config()).isEqualTo(new StyleGan2Config(128, 16, 4));
    assertThat(c.step()).as("13,200 steps, then 2000 with glasses oversampled").isEqualTo(15_200);
    assertThat(c.options().oversampling()).isEqualTo(Oversampling.parse("glasses=3"));
    assertThat(c.options().batch()).isEqualTo(8);
    assertThat(c.options().seed()).isZero();
    assertThat(StyleGanArgs.apply(Map.of("stylegan_weights", BUNDLED.toString()))).containsEntry("output_size", 128L)
        .containsEntry("sdk_width_divisor", 16L).containsEntry("sdk_n_mlp", 4L);
  }

  @Test
  void theNextGeneratorContinuesTheBundledOne() throws Exception {
    StyleGan2Checkpoint bundled = StyleGan2Checkpoint.read(BUNDLED);
    StyleGan2Checkpoint next = StyleGan2Checkpoint.read(NEXT);
    assertThat(next.config()).isEqualTo(bundled.config());
    assertThat(next.step()).as("the bundled 15,200 steps, 3000 with glasses=3, then glasses=2 to step 26,200")
        .isEqualTo(26_200);
    assertThat(next.options().oversampling()).isEqualTo(Oversampling.parse("glasses=2"));
    assertThat(next.options().withOversampling(bundled.options().oversampling())).isEqualTo(bundled.options());
  }

  @Test
  void unsetGeneratorOptionsComeFromTheFilesArgs() throws Exception {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("stylegan_weights", BUNDLED.toString());
    Map<String, Object> done = StyleGanArgs.apply(o);
    assertThat(done).containsEntry("output_size", 128L).containsEntry("sdk_width_divisor", 16L)
        .containsEntry("sdk_n_mlp", 4L);
    TrainOptions opts = TrainOptions.of(done);
    assertThat(opts.architecture().styleDim()).isEqualTo(32);
  }

  @Test
  void aContradictingValueNamesTheOptionAndTheFilesValue() throws Exception {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("stylegan_weights", BUNDLED.toString());
    o.put("output_size", 256L);
    assertThatThrownBy(() -> StyleGanArgs.apply(o)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("128-px generator with width divisor 16 and 4 mapping layers")
        .hasMessageContaining("use -s output_size=128");
    o.put("output_size", 128L);
    o.put("sdk_width_divisor", 16L);
    assertThat(StyleGanArgs.apply(o)).containsEntry("sdk_n_mlp", 4L);
  }

  @Test
  void filesWithoutArgsAndCheckpointPathsLeaveTheOptionsAlone(@TempDir Path dir) throws Exception {
    Path plain = TrainingFixtures.styleGan(dir, 1, true); // g_ema and latent_avg only, like a converted official file
    Map<String, Object> o = Map.of("stylegan_weights", plain.toString());
    assertThat(StyleGanArgs.apply(o)).isEqualTo(o);
    Map<String, Object> c = Map.of("stylegan_weights", BUNDLED.toString(), "checkpoint_path", "x.pt");
    assertThat(StyleGanArgs.apply(c)).isEqualTo(c);
  }

  @Test
  void everyOptionIsDocumentedOnce() {
    Set<String> keys = new HashSet<>();
    for (TrainOptionDocs.Option opt : TrainOptionDocs.all()) {
      assertThat(keys.add(opt.key())).as("documented twice: " + opt.key()).isTrue();
      assertThat(opt.meaning()).isNotBlank();
      assertThat(opt.defaultValue()).isEqualTo(TrainOptions.defaultValue(opt.key()));
    }
    assertThat(keys).containsAll(TrainOptions.officialKeys()).contains("sdk_seed", "sdk_task", "sdk_width_divisor",
        "sdk_body_units", "sdk_n_mlp", "sdk_ir_se50", "sdk_lpips_net", "sdk_lpips_backbone", "sdk_lpips_lin",
        "sdk_moco", "sdk_oversample");
  }

  @Test
  void anUndocumentedSdkOptionIsATypoNotASilentNoOp() {
    assertThatThrownBy(() -> TrainOptions.of(Map.of("sdk_oversampel", "glasses=3")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown training option 'sdk_oversampel'").hasMessageContaining("sdk_oversample");
  }
}
