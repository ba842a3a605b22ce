package dev.psp.cli;

import dev.psp.OutputSize;
import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.BundledModels;
import dev.psp.LoadOptions;
import dev.psp.Noise;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.TranslationTask;
import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import dev.psp.synthetic.SyntheticFaces;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every bundled demo model loads by name (no official file in the model folder) on both engines,
 * and its outputs on fixed held-out synthetic inputs equal the values stored when it was trained
 * ({@code src/test/resources/bundled-expected/}, written by {@link WriteBundledExpectations}).
 */
class BundledModelsTest {
  static final int SAMPLES = 2;

  @ParameterizedTest
  @EnumSource(value = TranslationTask.class, names = {"INVERSION", "FRONTALIZATION", "SKETCH_TO_FACE",
      "SEGMENTATION_TO_FACE", "SUPER_RESOLUTION", "INPAINTING"})
  void bundledModelGivesItsStoredOutputsOnBothEngines(TranslationTask task) throws Exception {
    assertThat(BundledModels.has(task)).as("bundled model for %s", task).isTrue();
    TensorData expected = expected(task);
    Path empty = Files.createTempDirectory("no-official-models");
    for (String engine : new String[] {"pytorch", "onnx"}) {
      try (PspModel m = Psp.load(task.names().get(0),
          LoadOptions.defaults().optEngine(engine).optModelDir(empty))) {
        TensorData out = m.forward(input(m, task), Noise.fixed(), OutputSize.FULL);
        assertThat(out.shape()).containsExactly(expected.shape());
        double d = maxAbs(out.toFloatArray(), expected.toFloatArray());
        System.out.printf(Locale.ROOT, "%s on %s: max |output - stored| = %.3g%n", task, engine, d);
        assertThat(d).isLessThan(engine.equals("pytorch") ? 1e-4 : 1e-3);
      }
    }
  }

  /** The held-out inputs of a task, preprocessed for the model. */
  static TensorData input(PspModel m, TranslationTask task) {
    List<BufferedImage> in = new ArrayList<>();
    for (int i = 0; i < SAMPLES; i++) {
      in.add(SyntheticFaces.pair(task, DemoCommand.HELD_OUT_SEED, i, dev.psp.Encoder.INPUT_SIZE).source());
    }
    return m.encoder().preprocess(in);
  }

  static String resource(TranslationTask task) {
    return "/bundled-expected/" + task.name().toLowerCase(Locale.ROOT) + ".npy";
  }

  private static TensorData expected(TranslationTask task) throws IOException {
    try (InputStream in = BundledModelsTest.class.getResourceAsStream(resource(task))) {
      assertThat(in).as("stored outputs %s", resource(task)).isNotNull();
      return Npy.read(in, resource(task));
    }
  }

  private static double maxAbs(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
