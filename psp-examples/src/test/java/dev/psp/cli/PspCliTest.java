package dev.psp.cli;

import dev.psp.OutputSize;
import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.LatentCode;
import dev.psp.Noise;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.TranslationTask;
import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import dev.psp.testing.TinyModels;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each command on a small official-format checkpoint, checked against the API's own results. */
class PspCliTest {
  @TempDir static Path dir;
  static Path model;
  static Path images;
  static PspModel api;

  /** Exit code, standard output and standard error of one run. */
  record Run(int code, String out, String err) {}

  static Run psp(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = PspCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeAll
  static void setUp() throws Exception {
    model = TinyModels.write(dir, TranslationTask.SKETCH_TO_FACE, 21);
    images = Files.createDirectories(dir.resolve("sketches"));
    for (int i = 0; i < 3; i++) {
      BufferedImage img = new BufferedImage(64 + 16 * i, 64, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 64; y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          img.getRaster().setSample(x, y, 0, (x * 7 + y * (i + 3)) % 256);
        }
      }
      ImageIO.write(img, "png", images.resolve("s" + i + ".png").toFile());
    }
    api = Psp.load(model);
  }

  @AfterAll
  static void tearDown() {
    api.close();
  }

  static BufferedImage read(Path p) throws Exception {
    return ImageIO.read(p.toFile());
  }

  /**
   * Equal up to one level per channel: for images decoded in batches of different sizes, whose
   * float outputs differ by about 1e-6 and may round to neighbouring bytes.
   */
  static void assertPixelsWithinOneLevel(BufferedImage a, BufferedImage b) {
    assertThat(a.getWidth()).isEqualTo(b.getWidth());
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        for (int shift = 0; shift < 24; shift += 8) {
          int ca = (a.getRGB(x, y) >> shift) & 0xff;
          int cb = (b.getRGB(x, y) >> shift) & 0xff;
          assertThat(Math.abs(ca - cb)).as("pixel %d,%d, bits %d-%d", x, y, shift, shift + 7).isLessThanOrEqualTo(1);
        }
      }
    }
  }

  static void assertSamePixels(BufferedImage a, BufferedImage b) {
    assertThat(a.getWidth()).isEqualTo(b.getWidth());
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        assertThat(a.getRGB(x, y)).as("pixel %d,%d", x, y).isEqualTo(b.getRGB(x, y));
      }
    }
  }

  @Test
  void translateOneImageGivesTheApiResult() throws Exception {
    Path out = dir.resolve("one.png");
    Run r = psp("translate", "--model", model.toString(), "--input", images.resolve("s1.png").toString(),
        "--output", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("translated 1 images");
    assertSamePixels(read(out), api.translate(read(images.resolve("s1.png"))));
  }

  @Test
  void translateAFolderInBatchesWithCodes() throws Exception {
    Path out = dir.resolve("folder-out");
    Path codes = dir.resolve("folder-codes.npy");
    Run r = psp("translate", "-m", model.toString(), "-i", images.toString(), "-o", out.toString(), "--batch-size", "2",
        "--latent-out", codes.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("translated 3 images in [0-9.]+ s \\([0-9.]+ images/s\\)");
    assertThat(r.err()).contains("3/3 images");
    for (int i = 0; i < 3; i++) {
      assertSamePixels(read(out.resolve("s" + i + ".png")), api.translate(read(images.resolve("s" + i + ".png"))));
    }
    assertThat(Npy.read(codes).shape()).containsExactly(3, 8, 32);
  }

  @Test
  void randomNoiseGivesEachInputItsOwnStreamWhateverTheBatchesAndSkippedOutputs() throws Exception {
    Path whole = dir.resolve("random-whole");
    Path single = dir.resolve("random-single");
    String[] common = {"translate", "-m", model.toString(), "-i", images.toString(), "--noise", "random", "--seed", "5"};
    assertThat(psp(concat(common, "-o", whole.toString(), "--batch-size", "3")).code()).isZero();
    assertThat(psp(concat(common, "-o", single.toString(), "--batch-size", "1")).code()).isZero();
    for (int i = 0; i < 3; i++) {
      assertPixelsWithinOneLevel(read(single.resolve("s" + i + ".png")), read(whole.resolve("s" + i + ".png")));
    }
    BufferedImage s1 = read(images.resolve("s1.png"));
    assertPixelsWithinOneLevel(read(whole.resolve("s1.png")), api.translate(java.util.List.of(s1),
        Noise.seeded(5).fromSample(1), OutputSize.FULL).get(0)); // input 1: stream 1
    assertThat(api.translate(java.util.List.of(s1), Noise.seeded(5), OutputSize.FULL).get(0).getRGB(3, 3))
        .as("stream 0 differs").isNotEqualTo(read(whole.resolve("s1.png")).getRGB(3, 3));

    Files.delete(single.resolve("s1.png")); // an interrupted run: input 1 alone is left, and keeps stream 1
    Run r = psp(concat(common, "-o", single.toString(), "--batch-size", "2", "--skip-existing"));
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("skipping 2 of 3 inputs");
    assertPixelsWithinOneLevel(read(single.resolve("s1.png")), read(whole.resolve("s1.png")));
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void npyInAndOutAreTheRawForward() throws Exception {
    TensorData x = api.encoder().preprocess(java.util.List.of(read(images.resolve("s0.png")), read(images.resolve("s2.png"))));
    Path in = dir.resolve("x.npy");
    Npy.write(in, x);
    Path out = dir.resolve("y.npy");
    Run r = psp("translate", "-m", model.toString(), "-i", in.toString(), "-o", out.toString(), "--noise", "random",
        "--seed", "4", "--batch-size", "2");
    assertThat(r.code()).as(r.err()).isZero();
    TensorData y = Npy.read(out);
    assertThat(y.shape()).containsExactly(2, 3, 32, 32);
    assertThat(y.toFloatArray()).isEqualTo(api.forward(x, Noise.seeded(4), OutputSize.FULL).toFloatArray());
  }

  @Test
  void encodeThenDecodeMatchTheApi() throws Exception {
    Path codes = dir.resolve("codes.npy");
    assertThat(psp("encode", "-m", model.toString(), "-i", images.toString(), "-o", codes.toString()).code()).isZero();
    LatentCode c = LatentCode.load(codes);
    assertThat(c).isEqualTo(api.encoder().encode(java.util.List.of(read(images.resolve("s0.png")),
        read(images.resolve("s1.png")), read(images.resolve("s2.png")))));
    Path out = dir.resolve("decoded.npy");
    Run r = psp("decode", "-m", model.toString(), "-i", codes.toString(), "-o", out.toString(), "--resize");
    assertThat(r.code()).as(r.err()).isZero();
    TensorData images256 = Npy.read(out);
    assertThat(images256.shape()).containsExactly(3, 3, 256, 256);
    assertThat(images256.toFloatArray()).isEqualTo(api.generator().synthesize(c, Noise.fixed(), OutputSize.POOLED).toFloatArray());
  }

  @Test
  void mixWritesReproducibleVariants() throws Exception {
    Path a = dir.resolve("mix-a");
    Path b = dir.resolve("mix-b");
    String in = images.resolve("s0.png").toString();
    assertThat(psp("mix", "-m", model.toString(), "-i", in, "-o", a.toString(), "--layers", "5-7", "--samples", "2",
        "--seed", "3", "--alpha", "0.7").code()).isZero();
    assertThat(psp("mix", "-m", model.toString(), "-i", in, "-o", b.toString(), "--layers", "5-7", "--samples", "2",
        "--seed", "3", "--alpha", "0.7").code()).isZero();
    assertSamePixels(read(a.resolve("s0_mix1.png")), read(b.resolve("s0_mix1.png")));
    LatentCode code = api.encoder().encode(read(images.resolve("s0.png")));
    LatentCode mixed = dev.psp.StyleMixer.of(new int[] {5, 6, 7}, 0.7).mix(code, api.generator().randomCodes(1, 4));
    assertSamePixels(read(a.resolve("s0_mix1.png")),
        api.generator().synthesizeImages(mixed, Noise.fixed(), OutputSize.FULL).get(0));

    LatentCode two = api.generator().randomCodes(2, 11); // --inject-latent [K, n, dim]: one variant per code
    Path injected = dir.resolve("inject.npy");
    two.save(injected);
    Path e = dir.resolve("mix-e");
    Run r = psp("mix", "-m", model.toString(), "-i", in, "-o", e.toString(), "--layers", "5-7", "--inject-latent",
        injected.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(e.resolve("s0_mix2.png")).doesNotExist();
    assertSamePixels(read(e.resolve("s0_mix1.png")), api.generator().synthesizeImages(
        dev.psp.StyleMixer.of(new int[] {5, 6, 7}, 1).mix(code, two.sample(1)), Noise.fixed(), OutputSize.FULL).get(0));
    Npy.write(injected, TensorData.ofFloats(new float[3 * 32], 3, 32)); // 3 ws of an 8-style model: ambiguous
    r = psp("mix", "-m", model.toString(), "-i", in, "-o", e.toString(), "--inject-latent", injected.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("takes a w [1,dim], a W+ code [8,dim] or codes [K,8,dim]").contains("[3, 32]");

    Path c = dir.resolve("mix-c"); // random noise: variant k of input i draws stream i of seed + k, in any batch
    Path d = dir.resolve("mix-d");
    assertThat(psp("mix", "-m", model.toString(), "-i", images.toString(), "-o", c.toString(), "--layers", "5-7",
        "--samples", "2", "--seed", "3", "--noise", "random", "--batch-size", "3").code()).isZero();
    assertThat(psp("mix", "-m", model.toString(), "-i", images.toString(), "-o", d.toString(), "--layers", "5-7",
        "--samples", "2", "--seed", "3", "--noise", "random", "--batch-size", "1").code()).isZero();
    assertPixelsWithinOneLevel(read(c.resolve("s2_mix1.png")), read(d.resolve("s2_mix1.png")));
    LatentCode code2 = api.encoder().encode(read(images.resolve("s2.png")));
    LatentCode mixed2 = dev.psp.StyleMixer.of(new int[] {5, 6, 7}, 1).mix(code2, api.generator().randomCodes(1, 4));
    assertPixelsWithinOneLevel(read(d.resolve("s2_mix1.png")),
        api.generator().synthesizeImages(mixed2, Noise.seeded(4).fromSample(2), OutputSize.FULL).get(0));
  }

  @Test
  void interpolateWritesFramesFromStartToEnd() throws Exception {
    Path out = dir.resolve("frames");
    Run r = psp("interpolate", "-m", model.toString(), "--from", images.resolve("s0.png").toString(), "--to",
        images.resolve("s2.png").toString(), "--steps", "3", "-o", out.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.list(out).count()).isEqualTo(3);
    assertSamePixels(read(out.resolve("frame_002.png")), api.translate(read(images.resolve("s2.png"))));
    Path movie = dir.resolve("movie.png");
    r = psp("interpolate", "-m", model.toString(), "--from", images.resolve("s0.png").toString(), "--to",
        images.resolve("s2.png").toString(), "--steps", "3", "-o", movie.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("got the file name").contains("give a folder");
    assertThat(movie).doesNotExist();
  }

  @Test
  void infoDescribesTheCheckpoint() {
    Run r = psp("info", "--model", model.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("SKETCH_TO_FACE").contains("GradualStyleEncoder").contains("n_styles:       8")
        .contains("output size:    32 x 32").contains("latent_avg:     [8, 32]").contains("sdk_width_divisor");
  }

  @Test
  void exitCodesSeparateUsageFromFailures() throws Exception {
    assertThat(psp("--help").code()).isZero();
    assertThat(psp("translate", "--help").code()).isZero();
    Run missing = psp("translate", "--model", model.toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("Missing required options");
    Run unknownModel = psp("translate", "--model", "sketchy", "-i", "a.png", "-o", "b.png");
    assertThat(unknownModel.code()).isEqualTo(2);
    assertThat(unknownModel.err()).contains("unknown model 'sketchy'");
    Run unknownEngine = psp("translate", "-m", model.toString(), "--engine", "tvm", "-i", images.toString(), "-o",
        dir.resolve("x").toString());
    assertThat(unknownEngine.code()).isEqualTo(2);
    assertThat(unknownEngine.err()).contains("unknown engine 'tvm'; available: pytorch");
    Path corrupt = Files.write(dir.resolve("corrupt.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    Run unreadable = psp("translate", "-m", model.toString(), "-i", corrupt.toString(), "-o", dir.resolve("c.png").toString());
    assertThat(unreadable.code()).isEqualTo(1);
    assertThat(unreadable.err()).startsWith("error: image " + corrupt + " is not an image of an accepted format").doesNotContain("\tat ");
    Run verbose = psp("translate", "-m", model.toString(), "-i", corrupt.toString(), "-o", dir.resolve("c.png").toString(),
        "--verbose");
    assertThat(verbose.err()).contains("\tat ");
    Run missingFile = psp("decode", "-m", model.toString(), "-i", dir.resolve("none.npy").toString(), "-o",
        dir.resolve("d.png").toString());
    assertThat(missingFile.code()).isEqualTo(1);
    assertThat(missingFile.err()).contains("does not exist");
    Run gpu = psp("translate", "-m", model.toString(), "--device", "gpu", "-i", images.toString(), "-o",
        dir.resolve("g").toString());
    assertThat(gpu.code()).isEqualTo(1);
    assertThat(gpu.err()).contains("gpu:0 is not available");
  }
}
