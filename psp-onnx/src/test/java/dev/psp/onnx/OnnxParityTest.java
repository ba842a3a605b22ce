package dev.psp.onnx;

import dev.psp.OutputSize;
import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.EncoderType;
import dev.psp.LatentCode;
import dev.psp.LoadOptions;
import dev.psp.Noise;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.TranslationTask;
import dev.psp.io.TensorData;
import dev.psp.testing.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The onnx engine against the pytorch engine, both loaded in one JVM and chosen per model, on tiny
 * official-format checkpoints of every encoder type and input kind (input_nc 1, 3, 19). The measured
 * differences are printed and written to {@code target/onnx-vs-pytorch.txt}.
 */
class OnnxParityTest {
  static final double CODES_TOLERANCE = 1e-4;
  static final double IMAGE_TOLERANCE = 1e-3;
  static final List<String> REPORT = new ArrayList<>();

  @TempDir static Path dir;

  static Stream<Arguments> models() {
    List<Arguments> out = new ArrayList<>();
    for (EncoderType type : EncoderType.values()) {
      for (TranslationTask task : List.of(TranslationTask.SKETCH_TO_FACE, TranslationTask.INVERSION,
          TranslationTask.SEGMENTATION_TO_FACE)) {
        out.add(Arguments.of(type, task));
      }
    }
    return out.stream();
  }

  static TensorData random(long seed, long... shape) {
    Random r = new Random(seed);
    float[] v = new float[(int) TensorData.numel(shape)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (2 * r.nextDouble() - 1);
    }
    return TensorData.ofFloats(v, shape);
  }

  static double maxAbs(TensorData a, TensorData b) {
    assertThat(a.shape()).containsExactly(b.shape());
    float[] x = a.toFloatArray();
    float[] y = b.toFloatArray();
    double m = 0;
    for (int i = 0; i < x.length; i++) {
      m = Math.max(m, Math.abs(x[i] - y[i]));
    }
    return m;
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("models")
  void onnxMatchesPytorch(EncoderType type, TranslationTask task) throws Exception {
    Path file = TinyModels.write(dir.resolve(type + "_" + task + ".pt"), task, type, TinyModels.SIZE, 7);
    try (PspModel torch = Psp.load(file, LoadOptions.defaults().optEngine("pytorch"));
        PspModel onnx = Psp.load(file, LoadOptions.defaults().optEngine("onnx"))) {
      assertThat(torch.engine()).isEqualTo("pytorch");
      assertThat(onnx.engine()).isEqualTo("onnx");
      int nc = task.inputNc();
      TensorData x = random(1, 3, nc, 256, 256);

      LatentCode ct = torch.encoder().encode(x);
      LatentCode co = onnx.encoder().encode(x);
      double codes = maxAbs(ct.toTensor(), co.toTensor());

      double fixed = maxAbs(torch.generator().synthesize(ct, Noise.fixed(), OutputSize.FULL),
          onnx.generator().synthesize(ct, Noise.fixed(), OutputSize.FULL));
      double seeded = maxAbs(torch.generator().synthesize(ct, Noise.seeded(3), OutputSize.FULL),
          onnx.generator().synthesize(ct, Noise.seeded(3), OutputSize.FULL));
      TensorData resizedOnnx = onnx.generator().synthesize(ct, Noise.fixed(), OutputSize.POOLED);
      assertThat(resizedOnnx.shape()).containsExactly(3, 3, 256, 256);
      double resized = maxAbs(torch.generator().synthesize(ct, Noise.fixed(), OutputSize.POOLED), resizedOnnx);

      TensorData z = random(2, 4, TinyModels.ARCH.styleDim());
      double mapping = maxAbs(torch.generator().mapping(z).toTensor(), onnx.generator().mapping(z).toTensor());

      double forward = maxAbs(torch.forward(x, Noise.fixed(), OutputSize.FULL), onnx.forward(x, Noise.fixed(), OutputSize.FULL));

      String line = String.format(java.util.Locale.ROOT,
          "%-22s %-20s input_nc=%2d codes=%.2e mapping=%.2e image(fixed)=%.2e image(seeded)=%.2e "
              + "image(resize)=%.2e forward=%.2e", type, task, nc, codes, mapping, fixed, seeded, resized, forward);
      REPORT.add(line);
      System.out.println("onnx vs pytorch: " + line);
      assertThat(codes).isLessThan(CODES_TOLERANCE);
      assertThat(mapping).isLessThan(CODES_TOLERANCE);
      assertThat(fixed).isLessThan(IMAGE_TOLERANCE);
      assertThat(seeded).isLessThan(IMAGE_TOLERANCE);
      assertThat(resized).isLessThan(IMAGE_TOLERANCE);
      assertThat(forward).isLessThan(IMAGE_TOLERANCE);
    }
  }

  /** At 512 px, face_pool is the reshape-and-mean path of AdaptiveAvgPool2d (2×2 blocks). */
  @org.junit.jupiter.api.Test
  void largeOutputsPoolByBlocksOnBothEngines() throws Exception {
    Path file = TinyModels.write(dir.resolve("s512.pt"), TranslationTask.INVERSION, EncoderType.GRADUAL_STYLE, 512, 9);
    try (PspModel torch = Psp.load(file, LoadOptions.defaults().optEngine("pytorch"));
        PspModel onnx = Psp.load(file, LoadOptions.defaults().optEngine("onnx"))) {
      TensorData x = random(4, 1, 3, 256, 256);
      LatentCode c = torch.encoder().encode(x);
      TensorData full = onnx.generator().synthesize(c, Noise.seeded(1), OutputSize.FULL);
      TensorData pooled = onnx.generator().synthesize(c, Noise.seeded(1), OutputSize.POOLED);
      assertThat(full.shape()).containsExactly(1, 3, 512, 512);
      assertThat(pooled.shape()).containsExactly(1, 3, 256, 256);
      float[] f = full.toFloatArray();
      float mean = (f[0] + f[1] + f[512] + f[513]) / 4;
      assertThat(pooled.toFloatArray()[0]).isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-6f));
      double codes = maxAbs(c.toTensor(), onnx.encoder().encode(x).toTensor());
      double image = maxAbs(torch.generator().synthesize(c, Noise.seeded(1), OutputSize.FULL), full);
      double resized = maxAbs(torch.generator().synthesize(c, Noise.seeded(1), OutputSize.POOLED), pooled);
      String line = String.format(java.util.Locale.ROOT,
          "GRADUAL_STYLE 512px INVERSION codes=%.2e image(seeded)=%.2e image(resize)=%.2e", codes, image, resized);
      REPORT.add(line);
      System.out.println("onnx vs pytorch: " + line);
      assertThat(codes).isLessThan(CODES_TOLERANCE);
      assertThat(image).isLessThan(IMAGE_TOLERANCE);
      assertThat(resized).isLessThan(IMAGE_TOLERANCE);
    }
  }

  @AfterAll
  static void writeReport() throws IOException {
    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      Files.write(target.resolve("onnx-vs-pytorch.txt"), REPORT);
    }
  }
}
