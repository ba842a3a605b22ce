package dev.psp.onnx;

import dev.psp.OutputSize;
import static dev.psp.onnx.OnnxParityTest.random;
import static dev.psp.testing.ParityReport.maxAbs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.psp.Device;
import dev.psp.EngineException;
import dev.psp.Engines;
import dev.psp.Noise;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.TensorData;
import dev.psp.spi.EngineModel;
import dev.psp.spi.ModelWeights;
import dev.psp.testing.EngineContractTest;
import dev.psp.testing.TinyModels;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The engine contract on the onnx engine, plus what is particular to it: its exported files run in
 * plain ONNX Runtime, discovery beside pytorch, and the thread-count property.
 */
class OnnxEngineTest extends EngineContractTest {
  OnnxEngineTest() {
    super("onnx", "on the onnx engine", "onnxruntime_gpu");
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
    try (Checkpoint cp = CheckpointReader.read(sketch())) {
      ModelWeights w = weights(cp);
      Path encoderFile = tempDir().resolve("encoder.onnx");
      Path mappingFile = tempDir().resolve("mapping.onnx");
      Path generatorFile = tempDir().resolve("generator.onnx");
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
        double imageDiff = maxAbs(torch.decode(codes, null, OutputSize.FULL), run(generator, in, "image"));
        double pooledDiff = maxAbs(torch.decode(codes, null, OutputSize.POOLED), run(generator, in, "image_256"));
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
    try (Checkpoint cp = CheckpointReader.read(sketch())) {
      OnnxModelProto m = OnnxExport.mapping(weights(cp));
      Path f = tempDir().resolve("mapping-bytes.onnx");
      m.writeTo(f);
      assertThat(m.toByteArray()).hasSize((int) m.size()).isEqualTo(java.nio.file.Files.readAllBytes(f));
    }
  }

  @Test
  void bothEnginesAreDiscoveredAndRankedByTheMeasuredRule() {
    // the tests run with the native allocator settings (parent pom), where pytorch is the faster one
    assertThat(dev.psp.internal.NativeAllocator.processIsTuned()).isTrue();
    List<String> names = Psp.engines();
    assertThat(names).contains("onnx", "pytorch");
    assertThat(names.indexOf("pytorch")).isLessThan(names.indexOf("onnx"));
    assertThat(Engines.names(Device.gpu(0)).get(0)).isEqualTo("pytorch");
    assertThat(new OnnxEngineProvider().rank(Device.cpu())).isEqualTo(5);
    assertThat(model().engine()).isEqualTo("onnx");
    assertThat(Engines.choose("onnx").version()).startsWith("ONNX Runtime 1.21");
  }

  @Test
  void threadsAreSetByAPropertyAndCheckedByName() throws Exception {
    TensorData x = random(9, 1, 1, 256, 256);
    float[] expected = model().forward(x, Noise.fixed(), OutputSize.FULL).toFloatArray();
    String old = System.getProperty("psp.onnx.threads");
    try {
      System.setProperty("psp.onnx.threads", "1");
      try (PspModel one = load(sketch())) {
        assertThat(maxAbs(expected, one.forward(x, Noise.fixed(), OutputSize.FULL).toFloatArray())).isLessThan(1e-5);
      }
      System.setProperty("psp.onnx.threads", "zero");
      assertThatThrownBy(() -> load(sketch()))
          .isInstanceOf(EngineException.class).hasMessageContaining("psp.onnx.threads")
          .hasMessageContaining("'zero'");
    } finally {
      // put back what the build set (e.g. -Dpsp.onnx.threads=1), so later tests run as configured
      if (old == null) {
        System.clearProperty("psp.onnx.threads");
      } else {
        System.setProperty("psp.onnx.threads", old);
      }
    }
  }

  @Test
  void loadingWritesNothingToTheTemporaryFolder() throws Exception {
    java.nio.file.Path tmp = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
    java.util.function.Supplier<java.util.Set<String>> list = () -> {
      try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.list(tmp)) {
        return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".onnx"))
            .collect(java.util.stream.Collectors.toSet());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    };
    java.util.Set<String> before = list.get();
    java.nio.file.Path file = TinyModels.write(tempDir(), dev.psp.TranslationTask.INVERSION, 3);
    try (PspModel m = Psp.load(file, dev.psp.LoadOptions.defaults().optEngine("onnx"))) {
      m.forward(random(1, 1, 3, 256, 256), Noise.fixed(), OutputSize.POOLED);
    }
    assertThat(list.get()).isEqualTo(before);
  }
}
