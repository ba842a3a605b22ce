package dev.psp.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.psp.Device;
import dev.psp.EngineException;
import dev.psp.io.TensorData;
import dev.psp.spi.EngineModel;
import dev.psp.spi.ModelWeights;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A pSp model on ONNX Runtime: three sessions (encoder, mapping, generator) built from the graphs
 * {@link OnnxExport} traces. Each graph is streamed to a temporary file, which ONNX Runtime reads and
 * which is deleted at once, so the weights are never held twice in the Java heap. Thread-safe: ONNX
 * Runtime sessions allow concurrent {@code run} calls, and every per-call tensor is closed before the
 * call returns.
 */
final class OnnxModel implements EngineModel {
  private final OrtEnvironment env;
  private final List<OrtSession> sessions = new ArrayList<>();
  private final OrtSession encoder;
  private final OrtSession mapping;
  private final OrtSession generator;
  private final List<TensorData> storedNoises;
  private final AtomicBoolean closed = new AtomicBoolean();

  OnnxModel(OnnxEngine engine, ModelWeights weights, Device device) {
    this.env = engine.environment();
    List<TensorData> noises = new ArrayList<>();
    for (TensorData t : OnnxExport.storedNoises(weights)) {
      noises.add(TensorData.ofFloats(t.toFloatArray(), t.shape())); // a copy: the checkpoint may be closed
    }
    this.storedNoises = List.copyOf(noises);
    try (OrtSession.SessionOptions options = engine.sessionOptions(device)) {
      this.encoder = session(() -> OnnxExport.encoder(weights), options);
      this.mapping = session(() -> OnnxExport.mapping(weights), options);
      this.generator = session(() -> OnnxExport.generator(weights), options);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private OrtSession session(Supplier<OnnxModelProto> graph, OrtSession.SessionOptions options) {
    Path file = null;
    OnnxModelProto model = graph.get();
    try {
      file = Files.createTempFile("psp-" + model.graphName() + "-", ".onnx");
      model.writeTo(file);
      OrtSession s = env.createSession(file.toString(), options);
      sessions.add(s);
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the " + model.graphName()
          + " graph to a temporary file (set java.io.tmpdir to a writable folder with room for it)", e);
    } catch (OrtException e) {
      throw new EngineException("ONNX Runtime could not load the exported " + model.graphName() + " graph: "
          + e.getMessage(), e);
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          file.toFile().deleteOnExit();
        }
      }
    }
  }

  @Override
  public TensorData encode(TensorData input) {
    return run(encoder, Map.of(OnnxExport.IMAGE, input), OnnxExport.CODES);
  }

  @Override
  public TensorData decode(TensorData codes, List<TensorData> noise, boolean resize) {
    List<TensorData> n = noise == null ? storedNoises : noise;
    if (n.size() != storedNoises.size()) {
      throw new IllegalArgumentException("expected " + storedNoises.size() + " noise maps, got " + n.size());
    }
    Map<String, TensorData> inputs = new LinkedHashMap<>();
    inputs.put(OnnxExport.CODES, codes);
    for (int i = 0; i < n.size(); i++) {
      inputs.put(OnnxExport.noiseInput(i), n.get(i));
    }
    return run(generator, inputs, resize ? OnnxExport.IMAGE_256 : OnnxExport.IMAGE);
  }

  @Override
  public TensorData mapping(TensorData z) {
    return run(mapping, Map.of(OnnxExport.Z, z), OnnxExport.W);
  }

  private TensorData run(OrtSession session, Map<String, TensorData> inputs, String output) {
    if (closed.get()) {
      throw new IllegalStateException("the model is closed");
    }
    Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, TensorData> e : inputs.entrySet()) {
        TensorData t = e.getValue();
        tensors.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(t.toFloatArray()), t.shape()));
      }
      try (OrtSession.Result result = session.run(tensors, Set.of(output))) {
        OnnxValue v = result.get(output).orElseThrow();
        OnnxTensor t = (OnnxTensor) v;
        return TensorData.ofFloats(toArray(t.getFloatBuffer()), t.getInfo().getShape());
      }
    } catch (OrtException e) {
      throw new EngineException("ONNX Runtime failed computing " + output + ": " + e.getMessage(), e);
    } finally {
      tensors.values().forEach(OnnxTensor::close);
    }
  }

  private static float[] toArray(FloatBuffer b) {
    float[] a = new float[b.remaining()];
    b.get(a);
    return a;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      for (OrtSession s : sessions) {
        try {
          s.close();
        } catch (OrtException e) {
          // nothing left to free; the session is unusable either way
        }
      }
    }
  }
}
