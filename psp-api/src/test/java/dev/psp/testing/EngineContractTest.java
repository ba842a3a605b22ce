package dev.psp.testing;

import dev.psp.OutputSize;
import static dev.psp.testing.ParityReport.maxAbs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.psp.Device;
import dev.psp.EncoderType;
import dev.psp.EngineException;
import dev.psp.Engines;
import dev.psp.LatentCode;
import dev.psp.LoadOptions;
import dev.psp.ModelConfig;
import dev.psp.ModelMismatchException;
import dev.psp.Noise;
import dev.psp.Psp;
import dev.psp.PspException;
import dev.psp.PspModel;
import dev.psp.StyleMixer;
import dev.psp.TranslationTask;
import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.CheckpointWriter;
import dev.psp.io.TensorData;
import dev.psp.spi.EngineModel;
import dev.psp.spi.ModelWeights;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every engine must do, written once against the public API and the SPI and run by each engine
 * module: a test class there extends this one, names its engine through the constructor and adds its
 * engine-specific tests. The models are {@link TinyModels}: small random checkpoints in the official
 * format, so the whole suite takes seconds.
 *
 * <p>One instance serves all tests of a class (the model is loaded once, on the engine the subclass
 * names); the tests only read it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class EngineContractTest {
  private final String engineName;
  private final List<String> gpuErrorHints;
  private Path dir;
  private Path sketch;
  private PspModel model;

  /**
   * The contract for one engine.
   *
   * @param engineName the engine under test, as {@link LoadOptions#optEngine} takes it
   * @param gpuErrorHints what the engine's "GPU not available" message says beyond the common part
   *     (the device, and {@code --device cpu} as the way out): its own advice, e.g. which natives to
   *     install
   */
  protected EngineContractTest(String engineName, String... gpuErrorHints) {
    this.engineName = engineName;
    this.gpuErrorHints = List.of(gpuErrorHints);
  }

  /** The engine under test. */
  protected final String engineName() {
    return engineName;
  }

  @BeforeAll
  void loadModel(@TempDir Path classDir) throws Exception {
    dir = classDir;
    sketch = TinyModels.write(dir, TranslationTask.SKETCH_TO_FACE, 11);
    model = load(sketch);
  }

  @AfterAll
  void closeModel() {
    model.close();
  }

  /** A folder for this class's files, deleted after its tests. */
  protected final Path tempDir() {
    return dir;
  }

  /** The tiny sketch-to-face checkpoint (input_nc 1, 8 W+ rows, 32×32) the shared model was loaded from. */
  protected final Path sketch() {
    return sketch;
  }

  /** {@link #sketch()} loaded on the engine under test; open for the whole class. */
  protected final PspModel model() {
    return model;
  }

  /** Loads a checkpoint on the engine under test. */
  protected final PspModel load(Path checkpoint) throws PspException {
    return Psp.load(checkpoint, LoadOptions.defaults().optEngine(engineName()));
  }

  /** The weights of a read checkpoint, as the SPI takes them. */
  protected static ModelWeights weights(Checkpoint cp) throws PspException {
    return new ModelWeights(ModelConfig.fromOpts(cp.opts(), cp.latentAvg().isPresent()), cp.stateDict());
  }

  /** A seeded random batch of one-channel 256×256 inputs in [0, 1), as the sketch model takes them. */
  protected static TensorData input(int batch, long seed) {
    Random r = new Random(seed);
    float[] v = new float[batch * 256 * 256];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextFloat();
    }
    return TensorData.ofFloats(v, batch, 1, 256, 256);
  }

  @Test
  void theChosenEngineTranslatesAnImageOfAnySizeToTheOutputSize() throws Exception {
    assertThat(model.engine()).isEqualTo(engineName());
    assertThat(model.task()).isEqualTo(TranslationTask.SKETCH_TO_FACE);
    BufferedImage out = model.translate(new BufferedImage(300, 200, BufferedImage.TYPE_BYTE_GRAY));
    assertThat(out.getWidth()).isEqualTo(TinyModels.SIZE);
    assertThat(out.getHeight()).isEqualTo(TinyModels.SIZE);
  }

  @Test
  void aBatchGivesWhatEachSampleGivesAlone() {
    TensorData x = input(3, 1);
    float[] batch = model.forward(x, Noise.fixed(), OutputSize.FULL).toFloatArray();
    int per = batch.length / 3;
    float[] v = x.toFloatArray();
    for (int b = 0; b < 3; b++) {
      TensorData one = TensorData.ofFloats(Arrays.copyOfRange(v, b * 65536, (b + 1) * 65536), 1, 1, 256, 256);
      float[] alone = model.forward(one, Noise.fixed(), OutputSize.FULL).toFloatArray();
      assertThat(maxAbs(alone, Arrays.copyOfRange(batch, b * per, (b + 1) * per))).isLessThan(1e-5);
    }
  }

  @Test
  void aBatchWithSharedStoredNoiseGivesWhatEachSampleGivesAlone() {
    LatentCode codes = model.encoder().encode(input(3, 8));
    float[] fixed = model.generator().synthesize(codes, Noise.fixed(), OutputSize.FULL).toFloatArray();
    float[] a = model.generator().synthesize(codes, Noise.seeded(4), OutputSize.FULL).toFloatArray();
    float[] b = model.generator().synthesize(codes, Noise.seeded(4), OutputSize.FULL).toFloatArray();
    assertThat(a).containsExactly(b);
    int per = fixed.length / 3;
    for (int s = 0; s < 3; s++) {
      float[] alone = model.generator().synthesize(codes.sample(s), Noise.fixed(), OutputSize.FULL).toFloatArray();
      assertThat(maxAbs(alone, Arrays.copyOfRange(fixed, s * per, (s + 1) * per))).isLessThan(1e-5);
    }
  }

  @Test
  void seededNoiseIsReproducibleAndDiffersFromFixedNoise() {
    LatentCode codes = model.encoder().encode(input(2, 2));
    float[] a = model.generator().synthesize(codes, Noise.seeded(5), OutputSize.FULL).toFloatArray();
    float[] b = model.generator().synthesize(codes, Noise.seeded(5), OutputSize.FULL).toFloatArray();
    float[] c = model.generator().synthesize(codes, Noise.seeded(6), OutputSize.FULL).toFloatArray();
    float[] fixed = model.generator().synthesize(codes, Noise.fixed(), OutputSize.FULL).toFloatArray();
    assertThat(a).containsExactly(b);
    assertThat(maxAbs(a, c)).isGreaterThan(1e-3);
    assertThat(maxAbs(a, fixed)).isGreaterThan(1e-3);
  }

  @Test
  void resizePoolsTo256AndIsTheMeanOfBlocks() {
    LatentCode codes = model.encoder().encode(input(1, 3));
    TensorData full = model.generator().synthesize(codes, Noise.fixed(), OutputSize.FULL);
    TensorData pooled = model.generator().synthesize(codes, Noise.fixed(), OutputSize.POOLED);
    assertThat(full.shape()).containsExactly(1, 3, TinyModels.SIZE, TinyModels.SIZE);
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
    float[] img = model.generator().synthesize(mixed, Noise.fixed(), OutputSize.FULL).toFloatArray();
    float[] orig = model.generator().synthesize(codes, Noise.fixed(), OutputSize.FULL).toFloatArray();
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
      serial.add(model.forward(inputs.get(i), Noise.seeded(i), OutputSize.FULL).toFloatArray());
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<float[]>> futures = new ArrayList<>();
      for (int rep = 0; rep < 3; rep++) {
        for (int i = 0; i < 8; i++) {
          int k = i;
          futures.add(pool.submit(() -> model.forward(inputs.get(k), Noise.seeded(k), OutputSize.FULL).toFloatArray()));
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
  void severalThreadsLoadingTheSameModelAtOnceGetTheSameResults() throws Exception {
    TensorData in = input(1, 5);
    float[] expected = model.forward(in, Noise.fixed(), OutputSize.FULL).toFloatArray();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(8);
      List<Future<float[]>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        futures.add(pool.submit(() -> {
          together.await();
          try (PspModel m = load(sketch)) {
            return m.forward(in, Noise.fixed(), OutputSize.FULL).toFloatArray();
          }
        }));
      }
      for (Future<float[]> f : futures) {
        assertThat(f.get()).containsExactly(expected);
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void closingAModelThatOtherThreadsUseFinishesTheirCallsAndRefusesLaterOnes() throws Exception {
    PspModel m = load(sketch);
    TensorData in = input(1, 3);
    float[] expected = m.forward(in, Noise.fixed(), OutputSize.FULL).toFloatArray();
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(threads);
      List<Future<Integer>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          long deadline = System.nanoTime() + 60_000_000_000L;
          int done = 0;
          while (System.nanoTime() < deadline) {
            try {
              assertThat(m.forward(in, Noise.fixed(), OutputSize.FULL).toFloatArray()).containsExactly(expected);
            } catch (IllegalStateException refused) {
              assertThat(refused).hasMessageContaining("is closed");
              return done;
            }
            if (++done == 1) {
              running.countDown();
            }
          }
          throw new AssertionError("never refused after close");
        }));
      }
      // a thread whose first call failed never counts down: its future carries the failure
      if (!running.await(120, java.util.concurrent.TimeUnit.SECONDS)) {
        for (Future<Integer> f : futures) {
          if (f.isDone()) {
            f.get();
          }
        }
        throw new AssertionError("not every thread finished a first call in 120 s");
      }
      m.close();
      for (Future<Integer> f : futures) {
        assertThat(f.get()).isPositive(); // each thread ran whole calls with the right result, then was refused
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aGpuWithoutCudaIsAClearError() {
    var thrown = assertThatThrownBy(
        () -> Psp.load(sketch, LoadOptions.defaults().optEngine(engineName()).optDevice(Device.gpu(0))))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("gpu:0 is not available")
        .hasMessageContaining("--device cpu");
    for (String hint : gpuErrorHints) {
      thrown.hasMessageContaining(hint);
    }
  }

  @Test
  void unknownEnginesListTheAvailableOnes() {
    assertThat(Psp.engines()).contains(engineName());
    assertThatThrownBy(() -> Psp.load(sketch, LoadOptions.defaults().optEngine("tensorrt")))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("unknown engine 'tensorrt'; available: " + String.join(", ", Psp.engines()));
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
    assertThatThrownBy(() -> load(bad))
        .isInstanceOf(ModelMismatchException.class)
        .hasMessageContaining("decoder.conv1.conv.weight")
        .hasMessageContaining("encoder.extra.weight")
        .hasMessageContaining("decoder.style.1.bias");
  }

  @Test
  void weightsThatHoldNaNAreRefusedWithTheirName() throws Exception {
    Path bad = dir.resolve("nan.pt");
    try (Checkpoint cp = CheckpointReader.read(sketch)) {
      Map<String, TensorData> sd = new LinkedHashMap<>(cp.stateDict());
      TensorData w = sd.get("decoder.conv1.conv.weight");
      float[] v = w.toFloatArray();
      v[5] = Float.NaN;
      sd.put("decoder.conv1.conv.weight", TensorData.ofFloats(v, w.shape()));
      CheckpointWriter.writePsp(bad, sd, cp.opts(), cp.latentAvg().orElseThrow());
    }
    assertThatThrownBy(() -> load(bad))
        .isInstanceOf(dev.psp.CheckpointFormatException.class)
        .hasMessageContaining("decoder.conv1.conv.weight holds a non-finite value (NaN or infinity) at flat index 5");
  }

  @Test
  void aLatentAvgOfTheWrongShapeIsACheckpointFormatErrorBeforeTheEngineLoads() throws Exception {
    try (Checkpoint cp = CheckpointReader.read(sketch)) {
      TensorData avg = cp.latentAvg().orElseThrow();
      long n = avg.dim(0);
      long dim = avg.dim(avg.rank() - 1);
      Path rows = dir.resolve("avg_rows.pt");
      CheckpointWriter.writePsp(rows, cp.stateDict(), cp.opts(), TensorData.ofFloats(new float[(int) ((n + 2) * dim)], n + 2, dim));
      Path narrow = dir.resolve("avg_narrow.pt");
      CheckpointWriter.writePsp(narrow, cp.stateDict(), cp.opts(), TensorData.ofFloats(new float[(int) (dim / 2)], 1, dim / 2));
      assertThatThrownBy(() -> load(rows)).isInstanceOf(dev.psp.CheckpointFormatException.class)
          .hasMessageContaining("latent_avg has shape [" + (n + 2) + ", " + dim + "]")
          .hasMessageContaining("opts do not match its weights");
      assertThatThrownBy(() -> load(narrow)).isInstanceOf(dev.psp.CheckpointFormatException.class)
          .hasMessageContaining("latent_avg has shape [1, " + dim / 2 + "]");
    }
    PspModel m = model();
    LatentCode c = m.generator().randomCodes(1, 3);
    LatentCode narrow = LatentCode.of(new float[c.nStyles() * (c.dim() / 2)], 1, c.nStyles(), c.dim() / 2);
    assertThatThrownBy(() -> m.generator().synthesize(narrow, Noise.fixed(), OutputSize.FULL))
        .hasMessageContaining("codes are " + c.dim() / 2 + " wide, this generator's styles are " + c.dim());
    assertThatThrownBy(() -> m.generator().mapping(TensorData.ofFloats(new float[c.dim() + 1], 1, c.dim() + 1)))
        .hasMessageContaining("z must be [B, " + c.dim() + "]");
    float[] nan = new float[c.dim()];
    nan[1] = Float.NaN;
    assertThatThrownBy(() -> m.generator().mapping(TensorData.ofFloats(nan, 1, c.dim()))).hasMessageContaining("z");
  }

  @Test
  void everyEncoderTypeRunsEndToEnd() throws Exception {
    for (EncoderType type : EncoderType.values()) {
      Path f = TinyModels.write(dir.resolve(type + ".pt"), TranslationTask.INVERSION, type, 16, 3);
      try (PspModel m = load(f)) {
        assertThat(m.engine()).isEqualTo(engineName());
        float[] v = new float[2 * 3 * 65536];
        Arrays.fill(v, 0.25f);
        LatentCode c = m.encoder().encode(TensorData.ofFloats(v, 2, 3, 256, 256));
        assertThat(c.nStyles()).as(type.name()).isEqualTo(6);
        assertThat(m.generator().synthesize(c, Noise.fixed(), OutputSize.FULL).shape()).containsExactly(2, 3, 16, 16);
      }
    }
  }

  @Test
  void aClosedModelSaysSoAndClosesTwice() throws Exception {
    PspModel m = load(sketch);
    m.close();
    m.close();
    assertThatThrownBy(() -> m.encoder().encode(input(1, 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void theWrongNumberOfNoiseMapsIsRejected() throws Exception {
    try (Checkpoint cp = CheckpointReader.read(sketch);
        EngineModel m = Engines.choose(engineName()).load(weights(cp), Device.cpu())) {
      int dim = TinyModels.ARCH.styleDim();
      TensorData codes = TensorData.ofFloats(new float[8 * dim], 1, 8, dim);
      assertThatThrownBy(() -> m.decode(codes, List.of(TensorData.ofFloats(new float[16], 1, 1, 4, 4)), OutputSize.FULL))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noise maps");
      assertThat(m.decode(codes, null, OutputSize.FULL).shape()).containsExactly(1, 3, TinyModels.SIZE, TinyModels.SIZE);
    }
  }
}
