package dev.psp.cli;

import static dev.psp.cli.PspCliTest.psp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.Direction;
import dev.psp.LatentCode;
import dev.psp.Noise;
import dev.psp.OutputSize;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.RefinementStep;
import dev.psp.image.ImageConversion;
import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import dev.psp.testing.Fixtures;
import dev.psp.testing.Images;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code psp edit}, {@code psp learn-direction} and ReStyle's {@code translate --iterations}. */
class EditCommandTest {
  @TempDir Path dir;

  private static final Path RESTYLE = Fixtures.path("families/restyle_progressive_backbone_s32/checkpoint.pt");
  private static final Path FACE = Fixtures.path("families/inputs/input_0.png");

  @Test
  void editWritesAStripWhoseMiddleIsTheUneditedCodeAndWhoseEndsMoveAlongTheDirection() throws Exception {
    Path codes = dir.resolve("codes.npy");
    Path dirFile = dir.resolve("d.npy");
    try (PspModel m = Psp.load("encode")) {
      LatentCode code = m.encoder().encode(ImageIO.read(FACE.toFile()));
      float[] d = new float[code.dim()];
      d[0] = 1;
      Npy.write(dirFile, TensorData.ofFloats(d, code.dim()));
      Path strip = dir.resolve("strip.png");
      PspCliTest.Run r = psp("edit", "--model", "encode", "--input", FACE.toString(), "--direction", dirFile.toString(),
          "--strength", "-2..2", "--steps", "5", "--rows", "0-3", "--output", strip.toString(), "--latent-out", codes.toString());
      assertThat(r.code()).as(r.err()).isZero();
      assertThat(r.out()).contains("edited 5 strengths [-2.0, -1.0, 0.0, 1.0, 2.0]");
      BufferedImage s = ImageIO.read(strip.toFile());
      int size = m.config().outputSize();
      assertThat(s.getWidth()).isEqualTo(5 * size);
      LatentCode edited = LatentCode.load(codes);
      assertThat(edited.batchSize()).isEqualTo(5);
      assertThat(edited.sample(2)).isEqualTo(code);
      assertThat(edited.row(4, 2)[0]).isEqualTo(code.row(0, 2)[0] + 2f);
      assertThat(edited.row(4, 5)).containsExactly(code.row(0, 5)); // row 5 is outside --rows 0-3
      BufferedImage middle = m.generator().synthesizeImages(code, Noise.fixed(), OutputSize.FULL).get(0);
      // the strip decodes 5 codes in one batch, the reference one: equal up to rounding
      PspCliTest.assertPixelsWithinOneLevel(s.getSubimage(2 * size, 0, size, size), middle);
    }
  }

  @Test
  void withRandomNoiseEveryFrameOfTheStripHasTheSameNoise() throws Exception {
    Path dirFile = dir.resolve("d.npy");
    try (PspModel m = Psp.load("encode")) {
      LatentCode code = m.encoder().encode(ImageIO.read(FACE.toFile()));
      Npy.write(dirFile, TensorData.ofFloats(new float[code.dim()], code.dim()));
      Path strip = dir.resolve("strip.png");
      PspCliTest.Run r = psp("edit", "--model", "encode", "--input", FACE.toString(), "--direction", dirFile.toString(),
          "--strength", "1", "--steps", "3", "--noise", "random", "--seed", "6", "--output", strip.toString());
      assertThat(r.code()).as(r.err()).isZero();
      BufferedImage s = ImageIO.read(strip.toFile());
      int size = m.config().outputSize();
      BufferedImage seeded = m.generator().synthesizeImages(code, Noise.seeded(6), OutputSize.FULL).get(0);
      BufferedImage fixed = m.generator().synthesizeImages(code, Noise.fixed(), OutputSize.FULL).get(0);
      for (int i = 0; i < 3; i++) { // a zero direction: three equal codes, so three frames equal up to rounding
        PspCliTest.assertPixelsWithinOneLevel(s.getSubimage(i * size, 0, size, size), seeded); // batch 3 against 1
      }
      assertThat(Images.maxDifference(seeded, fixed)).as("seeded noise against fixed").isGreaterThan(8);
      Path npy = dir.resolve("edits.npy");
      r = psp("edit", "--model", "encode", "--input", FACE.toString(), "--direction", dirFile.toString(), "--output",
          npy.toString());
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err()).contains("the edited codes go to --latent-out");
      assertThat(npy).doesNotExist();
    }
  }

  @Test
  void learnDirectionSeparatesTwoLabelledSetsOfCodes() throws Exception {
    int dim = 8;
    float[] pos = new float[20 * dim];
    float[] neg = new float[20 * dim];
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < pos.length; i++) {
      pos[i] = (float) r.nextGaussian() + (i % dim == 3 ? 2 : 0);
      neg[i] = (float) r.nextGaussian() - (i % dim == 3 ? 2 : 0);
    }
    LatentCode.of(pos, 20, 1, dim).save(dir.resolve("pos.npy"));
    LatentCode.of(neg, 20, 1, dim).save(dir.resolve("neg.npy"));
    Path out = dir.resolve("dir.npy");
    PspCliTest.Run run = psp("learn-direction", "--model", "encode", "--positive", dir.resolve("pos.npy").toString(),
        "--negative", dir.resolve("neg.npy").toString(), "--output", out.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("training accuracy 1.000");
    Direction d = Direction.read(out);
    assertThat(d.values()[3]).isGreaterThan(0.9f);
  }

  @Test
  void translateIterationsWritesEveryStepOfAReStyleModelAndTheApiResult() throws Exception {
    Path out = dir.resolve("out.png");
    PspCliTest.Run r = psp("translate", "--model", RESTYLE.toString(), "--iterations", "3", "--save-steps",
        "--input", FACE.toString(), "--output", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    try (PspModel m = Psp.load(RESTYLE)) {
      List<RefinementStep> steps = m.refine(List.of(ImageIO.read(FACE.toFile())), 3);
      PspCliTest.assertSamePixels(ImageIO.read(out.toFile()), ImageConversion.toImage(steps.get(2).image(), 0));
      for (int k = 0; k < 2; k++) {
        Path step = dir.resolve("out_step" + k + ".png");
        assertThat(step).exists();
        PspCliTest.assertSamePixels(ImageIO.read(step.toFile()), ImageConversion.toImage(steps.get(k).image(), 0));
      }
      assertThat(Files.exists(dir.resolve("out_step2.png"))).isFalse();
      // encode runs the model's default number of steps (n_iters_per_batch = 5 in its opts)
      assertThat(m.encoder().encode(ImageIO.read(FACE.toFile())))
          .isEqualTo(m.refine(List.of(ImageIO.read(FACE.toFile())), 5).get(4).code());
    }
  }

  @Test
  void infoNamesTheFamily() {
    PspCliTest.Run r = psp("info", "--model", RESTYLE.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("family:         ReStyle-e4e (iterative: 5 refinement steps by default)")
        .contains("ProgressiveBackboneEncoder");
    r = psp("info", "--model", Fixtures.path("families/e4e_s32/checkpoint.pt").toString());
    assertThat(r.out()).contains("family:         e4e" + System.lineSeparator());
  }

  @Test
  void misuseIsAUsageErrorNamingTheProblem() {
    PspCliTest.Run r = psp("translate", "--model", "encode", "--iterations", "3", "--input", FACE.toString(),
        "--output", dir.resolve("x.png").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("need a ReStyle model").contains("pSp model");
    r = psp("translate", "--model", RESTYLE.toString(), "--iterations", "0", "--input", FACE.toString(),
        "--output", dir.resolve("x.png").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--iterations must be between 1 and 100");
    r = psp("edit", "--model", "encode", "--input", FACE.toString(), "--direction", "d.npy", "--strength", "a..b",
        "--output", dir.resolve("s.png").toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--strength must be a number or a range");
  }
}
