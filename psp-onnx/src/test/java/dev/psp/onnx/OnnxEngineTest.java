package dev.psp.onnx;

import static dev.psp.onnx.OnnxParityTest.maxAbs;
import static dev.psp.onnx.OnnxParityTest.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.psp.Device;
import dev.psp.EngineException;
import dev.psp.Engines;
import dev.psp.LatentCode;
import dev.psp.LoadOptions;
import dev.psp.ModelConfig;
import dev.psp.Noise;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.TranslationTask;
import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.TensorData;
import dev.psp.spi.EngineModel;
import dev.psp.spi.ModelWeights;
import dev.psp.testing.TinyModels;
import java.nio.FloatBuffer;
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

/** The onnx engine through the public API and its exported files through plain ONNX Runtime. */
class OnnxEngineTest {
  @TempDir static Path dir;
  static Path sketch;
  static PspModel model;

  @BeforeAll
  static void load() throws Exception {
    sketch = TinyModels.write(dir, TranslationTask.SKETCH_TO_FACE, 11);
    model = Psp.load(sketch, LoadOptions.defaults().optEngine("onnx"));
  }

  @AfterAll
  static void close() {
    model.close();
  }

  static ModelWeights weights(Checkpoint cp) throws Exception {
    return new ModelWeights(ModelConfig.fromOpts(cp.opts(), cp.latentAvg().isPresent()), cp.stateDict());
  }

  static TensorData run(OrtSession session, Map<String, TensorData> inputs, String output) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, TensorData> e : inputs.entrySet()) {
        tensors.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue().toFloatArray()),
            e.getValue().shape()));
      }
      try (OrtSession.Result r = session.run(tensors)) {
        OnnxTensor t = (OnnxTensor) r.get(output).orElseThrow();
        FloatBuffer b = t.getFloatBuffer();
        float[] v = new float[b.remaining()];
        b.get(v);
        return TensorData.ofFloats(v, t.getInfo().getShape());
      }
    } finally {
      tensors.values().forEach(OnnxTensor::close);
    }
  }

  @Test
  void exportedFilesRunInAFreshOrtSessionAndMatchThePytorchEngine() throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (Checkpoint cp = CheckpointReader.read(sketch)) {
      ModelWeights w = weights(cp);
      Path encoderFile = dir.resolve("encoder.onnx");
      Path mappingFile = dir.resolve("mapping.onnx");
      Path generatorFile = dir.resolve("generator.onnx");
      OnnxExport.encoder(w).writeTo(encoderFile);
      OnnxExport.mapping(w).writeTo(mappingFile);
      OnnxExport.generator(w).writeTo(generatorFile);
      try (EngineModel torch = Engines.choose("pytorch").load(w, Device.cpu());
          OrtSession encoder = env.createSession(encoderFile.toString());
          OrtSession mapping = env.createSession(mappingFile.toString());
          OrtSession generator = env.createSession(generatorFile.toString())) {
        assertThat(encoder.getInputNames()).containsExactly("image");
        assertThat(generator.getOutputNames()).containsExactly("image", "image_256");
        assertThat(encoder.getMetadata().getCustomMetadata())
            .containsEntry("psp.task", "SKETCH_TO_FACE").containsEntry("psp.n_styles", "8")
            .containsEntry("psp.graph", "encoder");

        TensorData x = random(5, 2, 1, 256, 256);
        TensorData codes = torch.encode(x);
        double encodeDiff = maxAbs(codes, run(encoder, Map.of("image", x), "codes"));

        TensorData z = random(6, 3, TinyModels.ARCH.styleDim());
        double mappingDiff = maxAbs(torch.mapping(z), run(mapping, Map.of("z", z), "w"));

        Map<String, TensorData> in = new LinkedHashMap<>();
        in.put("codes", codes);
        List<TensorData> noise = OnnxExport.storedNoises(w);
        for (int i = 0; i < noise.size(); i++) {
          in.put("noise_" + i, noise.get(i));
        }
        double imageDiff = maxAbs(torch.decode(codes, null, false), run(generator, in, "image"));
        double pooledDiff = maxAbs(torch.decode(codes, null, true), run(generator, in, "image_256"));
        System.out.printf(java.util.Locale.ROOT,
            "exported files vs pytorch: codes=%.2e mapping=%.2e image=%.2e image_256=%.2e%n",
            encodeDiff, mappingDiff, imageDiff, pooledDiff);
        assertThat(encodeDiff).isLessThan(1e-4);
        assertThat(mappingDiff).isLessThan(1e-4);
        assertThat(imageDiff).isLessThan(1e-3);
        assertThat(pooledDiff).isLessThan(1e-3);
      }
    }
  }

  @Test
  void exportedBytesAreTheWrittenFile() throws Exception {
    try (Checkpoint cp = CheckpointReader.read(sketch)) {
      OnnxModelProto m = OnnxExport.mapping(weights(cp));
      Path f = dir.resolve("mapping-bytes.onnx");
      m.writeTo(f);
      assertThat(m.toByteArray()).hasSize((int) m.size()).isEqualTo(java.nio.file.Files.readAllBytes(f));
    }
  }

  @Test
  void bothEnginesAreDiscoveredAndPytorchRanksFirst() {
    List<String> names = Psp.engines();
    assertThat(names).contains("onnx", "pytorch");
    assertThat(names.indexOf("pytorch")).isLessThan(names.indexOf("onnx"));
    assertThat(new OnnxEngineProvider().rank()).isLessThan(10);
    assertThat(model.engine()).isEqualTo("onnx");
    assertThat(Engines.choose("onnx").version()).startsWith("ONNX Runtime 1.21");
  }

  @Test
  void aBatchWithSharedStoredNoiseGivesWhatEachSampleGivesAlone() {
    LatentCode codes = model.encoder().encode(random(8, 3, 1, 256, 256));
    float[] fixed = model.generator().synthesize(codes, Noise.fixed(), false).toFloatArray();
    float[] a = model.generator().synthesize(codes, Noise.seeded(4), false).toFloatArray();
    float[] b = model.generator().synthesize(codes, Noise.seeded(4), false).toFloatArray();
    assertThat(a).containsExactly(b);
    float[] perSample = new float[fixed.length / 3];
    for (int s = 0; s < 3; s++) {
      float[] alone = model.generator().synthesize(codes.sample(s), Noise.fixed(), false).toFloatArray();
      System.arraycopy(fixed, s * perSample.length, perSample, 0, perSample.length);
      assertThat(OnnxParityTest.maxAbs(TensorData.ofFloats(alone, alone.length),
          TensorData.ofFloats(perSample, perSample.length))).isLessThan(1e-5);
    }
  }

  @Test
  void oneModelServesSeveralThreadsWithTheSerialResults() throws Exception {
    List<TensorData> inputs = new ArrayList<>();
    List<float[]> serial = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      inputs.add(random(100 + i, 1, 1, 256, 256));
      serial.add(model.forward(inputs.get(i), Noise.seeded(i), false).toFloatArray());
    }
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<float[]>> futures = new ArrayList<>();
      for (int rep = 0; rep < 2; rep++) {
        for (int i = 0; i < 6; i++) {
          int k = i;
          futures.add(pool.submit(() -> model.forward(inputs.get(k), Noise.seeded(k), false).toFloatArray()));
        }
      }
      for (int j = 0; j < futures.size(); j++) {
        assertThat(futures.get(j).get()).containsExactly(serial.get(j % 6));
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aGpuWithoutCudaIsAClearError() {
    assertThatThrownBy(() -> Psp.load(sketch, LoadOptions.defaults().optEngine("onnx").optDevice(Device.gpu(0))))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("gpu:0 is not available on the onnx engine")
        .hasMessageContaining("onnxruntime_gpu")
        .hasMessageContaining("--device cpu");
  }

  @Test
  void threadsAreSetByAPropertyAndCheckedByName() throws Exception {
    TensorData x = random(9, 1, 1, 256, 256);
    float[] expected = model.forward(x, Noise.fixed(), false).toFloatArray();
    try {
      System.setProperty("psp.onnx.threads", "1");
      try (PspModel one = Psp.load(sketch, LoadOptions.defaults().optEngine("onnx"))) {
        assertThat(maxAbs(TensorData.ofFloats(expected, expected.length),
            TensorData.ofFloats(one.forward(x, Noise.fixed(), false).toFloatArray(), expected.length)))
            .isLessThan(1e-5);
      }
      System.setProperty("psp.onnx.threads", "zero");
      assertThatThrownBy(() -> Psp.load(sketch, LoadOptions.defaults().optEngine("onnx")))
          .isInstanceOf(EngineException.class).hasMessageContaining("psp.onnx.threads")
          .hasMessageContaining("'zero'");
    } finally {
      System.clearProperty("psp.onnx.threads");
    }
  }

  @Test
  void aClosedModelSaysSoAndClosesTwice() throws Exception {
    PspModel m = Psp.load(sketch, LoadOptions.defaults().optEngine("onnx"));
    m.close();
    m.close();
    assertThatThrownBy(() -> m.encoder().encode(random(1, 1, 1, 256, 256)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theWrongNumberOfNoiseMapsIsRejected() throws Exception {
    try (Checkpoint cp = CheckpointReader.read(sketch);
        EngineModel m = Engines.choose("onnx").load(weights(cp), Device.cpu())) {
      TensorData codes = TensorData.ofFloats(new float[8 * TinyModels.ARCH.styleDim()], 1, 8,
          TinyModels.ARCH.styleDim());
      assertThatThrownBy(() -> m.decode(codes, List.of(TensorData.ofFloats(new float[16], 1, 1, 4, 4)), false))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("noise maps");
      assertThat(m.decode(codes, null, false).shape()).containsExactly(1, 3, TinyModels.SIZE, TinyModels.SIZE);
    }
  }
}
