package dev.psp.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.Device;
import dev.psp.EngineException;
import dev.psp.LatentCode;
import dev.psp.LoadOptions;
import dev.psp.ModelMismatchException;
import dev.psp.Noise;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.StyleMixer;
import dev.psp.TranslationTask;
import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.CheckpointWriter;
import dev.psp.io.TensorData;
import dev.psp.testing.TinyModels;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole public API on the pytorch engine, on small random checkpoints in the official format. */
class PyTorchEngineTest {
  @TempDir static Path dir;
  static Path sketch;
  static PspModel model;

  @BeforeAll
  static void load() throws Exception {
    sketch = TinyModels.write(dir, TranslationTask.SKETCH_TO_FACE, 11);
    model = Psp.load(sketch, LoadOptions.defaults().optEngine("pytorch"));
  }

  @AfterAll
  static void close() {
    model.close();
  }

  static TensorData input(int batch, long seed) {
    java.util.Random r = new java.util.Random(seed);
    float[] v = new float[batch * 256 * 256];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextFloat();
    }
    return TensorData.ofFloats(v, batch, 1, 256, 256);
  }

  static double maxAbs(float[] a, float[] b) {
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  @Test
  void pytorchIsTheDefaultEngineAndTranslatesImages() throws Exception {
    assertThat(Psp.engines()).startsWith("pytorch");
    try (PspModel m = Psp.load(sketch)) {
      assertThat(m.engine()).isEqualTo("pytorch");
      assertThat(m.task()).isEqualTo(TranslationTask.SKETCH_TO_FACE);
      BufferedImage out = m.translate(new BufferedImage(300, 200, BufferedImage.TYPE_BYTE_GRAY));
      assertThat(out.getWidth()).isEqualTo(TinyModels.SIZE);
      assertThat(out.getHeight()).isEqualTo(TinyModels.SIZE);
    }
  }

  @Test
  void aBatchGivesWhatEachSampleGivesAlone() {
    TensorData x = input(3, 1);
    float[] batch = model.forward(x, Noise.fixed(), false).toFloatArray();
    int per = batch.length / 3;
    for (int b = 0; b < 3; b++) {
      float[] v = x.toFloatArray();
      TensorData one = TensorData.ofFloats(java.util.Arrays.copyOfRange(v, b * 65536, (b + 1) * 65536), 1, 1, 256, 256);
      float[] alone = model.forward(one, Noise.fixed(), false).toFloatArray();
      assertThat(maxAbs(alone, java.util.Arrays.copyOfRange(batch, b * per, (b + 1) * per))).isLessThan(1e-5);
    }
  }

  @Test
  void seededNoiseIsReproducibleAndDiffersFromFixedNoise() {
    LatentCode codes = model.encoder().encode(input(2, 2));
    float[] a = model.generator().synthesize(codes, Noise.seeded(5), false).toFloatArray();
    float[] b = model.generator().synthesize(codes, Noise.seeded(5), false).toFloatArray();
    float[] c = model.generator().synthesize(codes, Noise.seeded(6), false).toFloatArray();
    float[] fixed = model.generator().synthesize(codes, Noise.fixed(), false).toFloatArray();
    assertThat(a).containsExactly(b);
    assertThat(maxAbs(a, c)).isGreaterThan(1e-3);
    assertThat(maxAbs(a, fixed)).isGreaterThan(1e-3);
  }

  @Test
  void resizePoolsTo256AndIsTheMeanOfBlocks() {
    LatentCode codes = model.encoder().encode(input(1, 3));
    TensorData full = model.generator().synthesize(codes, Noise.fixed(), false);
    TensorData pooled = model.generator().synthesize(codes, Noise.fixed(), true);
    assertThat(pooled.shape()).containsExactly(1, 3, 256, 256);
    // 32 -> 256 with AdaptiveAvgPool2d repeats each pixel 8x8
    assertThat(pooled.toFloatArray()[8 * 256 + 8]).isEqualTo(full.toFloatArray()[32 + 1]);
  }

  @Test
  void styleMixingChangesOnlyTheMixedRowsOfTheCode() {
    LatentCode codes = model.encoder().encode(input(1, 4));
    LatentCode inject = model.generator().randomCodes(1, 9);
    LatentCode mixed = StyleMixer.range(5, 7, 0.5).mix(codes, inject);
    assertThat(mixed.row(0, 4)).containsExactly(codes.row(0, 4));
    float[] img = model.generator().synthesize(mixed, Noise.fixed(), false).toFloatArray();
    float[] orig = model.generator().synthesize(codes, Noise.fixed(), false).toFloatArray();
    assertThat(maxAbs(img, orig)).isGreaterThan(1e-4);
    // the W of a mapped z equals mapping(z) in every row
    assertThat(inject.row(0, 0)).containsExactly(inject.row(0, 7));
  }

  @Test
  void oneModelServesSeveralThreadsWithTheSerialResults() throws Exception {
    List<TensorData> inputs = new ArrayList<>();
    List<float[]> serial = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      inputs.add(input(1, 100 + i));
      serial.add(model.forward(inputs.get(i), Noise.seeded(i), false).toFloatArray());
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> futures = new ArrayList<>();
      for (int rep = 0; rep < 3; rep++) {
        for (int i = 0; i < 8; i++) {
          int k = i;
          futures.add(pool.submit(() -> model.forward(inputs.get(k), Noise.seeded(k), false).toFloatArray()));
        }
      }
      for (int j = 0; j < futures.size(); j++) {
        assertThat(futures.get(j).get()).containsExactly(serial.get(j % 8));
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aGpuWithoutCudaIsAClearError() {
    assertThatThrownBy(() -> Psp.load(sketch, LoadOptions.defaults().optEngine("pytorch").optDevice(Device.gpu(0))))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("gpu:0 is not available")
        .hasMessageContaining("CUDA GPU(s)");
  }

  @Test
  void unknownEnginesListTheAvailableOnes() {
    assertThatThrownBy(() -> Psp.load(sketch, LoadOptions.defaults().optEngine("tensorrt")))
        .isInstanceOf(EngineException.class).hasMessageContaining("available: pytorch");
  }

  @Test
  void aStateDictThatDoesNotFitItsOptsIsRejectedWithEveryProblem() throws Exception {
    Path bad = dir.resolve("mismatched.pt");
    try (Checkpoint cp = CheckpointReader.read(sketch)) {
      Map<String, TensorData> sd = new LinkedHashMap<>(cp.stateDict());
      sd.remove("decoder.conv1.conv.weight");
      sd.put("encoder.extra.weight", TensorData.ofFloats(new float[] {1}, 1));
      sd.put("decoder.style.1.bias", TensorData.ofFloats(new float[3], 3));
      CheckpointWriter.writePsp(bad, sd, cp.opts(), cp.latentAvg().orElseThrow());
    }
    assertThatThrownBy(() -> Psp.load(bad))
        .isInstanceOf(ModelMismatchException.class)
        .hasMessageContaining("decoder.conv1.conv.weight")
        .hasMessageContaining("encoder.extra.weight")
        .hasMessageContaining("decoder.style.1.bias");
  }

  @Test
  void everyEncoderTypeRunsEndToEnd() throws Exception {
    for (dev.psp.EncoderType type : dev.psp.EncoderType.values()) {
      Path f = TinyModels.write(dir.resolve(type + ".pt"), TranslationTask.INVERSION, type, 16, 3);
      try (PspModel m = Psp.load(f)) {
        float[] v = new float[2 * 3 * 65536];
        java.util.Arrays.fill(v, 0.25f);
        LatentCode c = m.encoder().encode(TensorData.ofFloats(v, 2, 3, 256, 256));
        assertThat(c.nStyles()).as(type.name()).isEqualTo(6);
        assertThat(m.generator().synthesize(c, Noise.fixed(), false).shape()).containsExactly(2, 3, 16, 16);
      }
    }
  }
}
