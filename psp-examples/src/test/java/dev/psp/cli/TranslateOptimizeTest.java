package dev.psp.cli;

import static dev.psp.cli.PspCliTest.psp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.LatentCode;
import dev.psp.LoadOptions;
import dev.psp.Noise;
import dev.psp.OutputSize;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.TranslationTask;
import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import dev.psp.synthetic.SyntheticFaces;
import dev.psp.testing.TinyModels;
import dev.psp.training.latent.LatentOptimizer;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code psp translate --optimize}: on the bundled inversion model and a held-out face with
 * sunglasses, the optimized output is the decoder's image of the optimized codes, those codes are
 * the API's, and the output is closer to the input than the encoder's alone.
 */
class TranslateOptimizeTest {
  @TempDir Path dir;

  /** The demo's L2 of one output against its input (area-averaged to the output's 128 px, in [-1, 1]). */
  private static double l2(Path output, BufferedImage input) throws Exception {
    return DemoScores.meanSquare(DemoScores.pixels(ImageIO.read(output.toFile()), 128), DemoScores.pixels(input, 128));
  }

  @Test
  void optimizedCodesAreTheApisAndTheirOutputIsCloserToTheInput() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("models"));
    BufferedImage face = SyntheticFaces.pair(TranslationTask.INVERSION, DemoCommand.HELD_OUT_SEED, 0, 256).target();
    Path in = dir.resolve("face.png");
    ImageIO.write(face, "png", in.toFile());
    Path plain = dir.resolve("plain.png");
    Path optimized = dir.resolve("optimized.png");
    Path codes = dir.resolve("codes.npy");
    PspCliTest.Run a = psp("translate", "-m", "ffhq_encode", "--model-dir", empty.toString(), "--engine", "pytorch",
        "-i", in.toString(), "-o", plain.toString());
    assertThat(a.code()).as(a.err()).isZero();
    PspCliTest.Run b = psp("translate", "-m", "ffhq_encode", "--model-dir", empty.toString(), "--engine", "pytorch",
        "-i", in.toString(), "-o", optimized.toString(), "--optimize", "40", "--latent-out", codes.toString());
    assertThat(b.code()).as(b.err()).isZero();
    assertThat(b.out()).contains("translated 1 images, 40 optimization steps each: 40 optimization steps in");
    assertThat(b.err()).contains("40/40 optimization steps");

    try (PspModel m = Psp.load("ffhq_encode", LoadOptions.defaults().optEngine("pytorch").optModelDir(empty));
        LatentOptimizer o = LatentOptimizer.of(m)) {
      TensorData x = m.encoder().preprocess(List.of(face));
      LatentOptimizer.Result r = o.optimize(m.encoder().encode(x), x, 40, LatentOptimizer.DEFAULT_LEARNING_RATE, null);
      LatentCode written = LatentCode.fromTensor(Npy.read(codes), m.config().nStyles());
      assertThat(Arrays.mismatch(written.values(), r.codes().values())).isEqualTo(-1);
      BufferedImage expected = m.generator().synthesizeImages(r.codes(), Noise.fixed(), OutputSize.FULL).get(0);
      PspCliTest.assertSamePixels(ImageIO.read(optimized.toFile()), expected);
      double[] losses = r.losses();
      System.out.printf("bundled inversion, one held-out face: L2 %.5f -> %.5f after 40 steps%n", losses[0], losses[40]);
      assertThat(losses[40]).isLessThan(0.8 * losses[0]);
    }
    double before = l2(plain, face);
    double after = l2(optimized, face);
    System.out.printf("L2 of the 8-bit outputs to the input: %.5f encoder, %.5f after 40 steps%n", before, after);
    assertThat(after).isLessThan(0.8 * before);
  }

  @Test
  void optimizeIsRefusedWhereItCannotFitTheInput() throws Exception {
    Path tiny = TinyModels.write(dir, TranslationTask.SKETCH_TO_FACE, 3);
    Path in = dir.resolve("s.png");
    ImageIO.write(new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY), "png", in.toFile());
    String out = dir.resolve("o.png").toString();
    PspCliTest.Run sketch = psp("translate", "-m", tiny.toString(), "-i", in.toString(), "-o", out, "--optimize", "5");
    assertThat(sketch.code()).isEqualTo(2);
    assertThat(sketch.err()).contains("--optimize fits codes to their inputs, so it needs an inversion model")
        .contains("SKETCH_TO_FACE");
    PspCliTest.Run negative = psp("translate", "-m", tiny.toString(), "-i", in.toString(), "-o", out, "--optimize", "-1");
    assertThat(negative.err()).contains("--optimize must be between 0 and 10000 steps, got -1");
    PspCliTest.Run lr = psp("translate", "-m", tiny.toString(), "-i", in.toString(), "-o", out, "--optimize", "5",
        "--optimize-lr", "0");
    assertThat(lr.err()).contains("--optimize-lr must be positive and finite, got 0.0");
    PspCliTest.Run random = psp("translate", "-m", tiny.toString(), "-i", in.toString(), "-o", out, "--optimize", "5",
        "--noise", "random");
    assertThat(random.err()).contains("--optimize fits each code with the decoder's stored noise: drop --noise random");
    assertThat(Files.exists(Path.of(out))).isFalse();
  }
}
