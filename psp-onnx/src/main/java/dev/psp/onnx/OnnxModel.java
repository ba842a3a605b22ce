package dev.psp.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.psp.Device;
import dev.psp.EngineException;
import dev.psp.OutputSize;
import dev.psp.io.TensorData;
import dev.psp.spi.EngineModel;
import dev.psp.spi.ModelWeights;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A pSp model on ONNX Runtime: three sessions (encoder, mapping, generator) built from the graphs
 * {@link OnnxExport} traces with the weights as graph inputs. The model bytes (the graph alone, a few
 * hundred KB) go to ONNX Runtime in memory; the weights are tensors over the checkpoint's own direct
 * buffers, created once and passed to every run, so ONNX Runtime neither copies nor keeps them: a
 * 1.2 GB checkpoint costs 1.2 GB, and a session is built in milliseconds (docs/engines.md). On a GPU
 * the weights are initializers inside the model instead, so ONNX Runtime places them on the device
 * once rather than copying host inputs at every run.
 * Thread-safe: ONNX Runtime sessions allow concurrent {@code run} calls that share read-only
 * inputs, and every per-call tensor is closed before the call returns.
 */
final class OnnxModel implements EngineModel {
  private final OrtEnvironment env;
  private final List<OrtSession> sessions = new ArrayList<>();
  private final Map<OrtSession, Map<String, OnnxTensor>> weights = new LinkedHashMap<>();
  private final OrtSession encoder;
  private final OrtSession mapping;
  private final OrtSession generator;
  private final List<TensorData> storedNoises;
  private final AtomicBoolean closed = new AtomicBoolean();

  OnnxModel(OnnxEngine engine, ModelWeights modelWeights, Device device) {
    this.env = engine.environment();
    List<TensorData> noises = new ArrayList<>();
    for (TensorData t : OnnxExport.storedNoises(modelWeights)) {
      noises.add(TensorData.ofFloats(t.toFloatArray(), t.shape())); // a copy: the checkpoint may be closed
    }
    this.storedNoises = List.copyOf(noises);
    boolean weightInputs = device.type() == Device.Type.CPU;
    try {
      this.encoder = session(engine, device, () -> OnnxExport.encoder(modelWeights, weightInputs));
      this.mapping = session(engine, device, () -> OnnxExport.mapping(modelWeights, weightInputs));
      this.generator = session(engine, device, () -> OnnxExport.generator(modelWeights, weightInputs));
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** A session for one traced graph, with its weight inputs as tensors kept for its lifetime. */
  private OrtSession session(OnnxEngine engine, Device device, Supplier<OnnxModelProto> graph) {
    OnnxModelProto model = graph.get();
    Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
    try (OrtSession.SessionOptions options = engine.sessionOptions(device)) {
      for (Map.Entry<String, TensorData> e : model.weightInputs().entrySet()) {
        inputs.put(e.getKey(), OnnxTensor.createTensor(env, directBytes(e.getValue()), e.getValue().shape(),
            OnnxJavaType.FLOAT));
      }
      OrtSession s = env.createSession(model.toByteArray(), options);
      sessions.add(s);
      weights.put(s, inputs);
      return s;
    } catch (OrtException e) {
      inputs.values().forEach(OnnxTensor::close);
      throw new EngineException("ONNX Runtime could not load the exported " + model.graphName() + " graph: "
          + e.getMessage(), e);
    } catch (RuntimeException e) {
      inputs.values().forEach(OnnxTensor::close);
      throw e;
    }
  }

  /**
   * The tensor's bytes in direct memory that no file backs: the tensor's own buffer when it is one
   * (the checkpoint reader's default), else a direct copy (heap arrays; mapped file pages, which may
   * change or vanish underneath).
   */
  private static ByteBuffer directBytes(TensorData t) {
    ByteBuffer b = t.bytes();
    if (b.isDirect() && !t.isFileMapped()) {
      return b;
    }
    ByteBuffer copy = ByteBuffer.allocateDirect(b.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    copy.put(b).flip();
    return copy;
  }

  @Override
  public TensorData encode(TensorData input) {
    return run(encoder, Map.of(OnnxExport.IMAGE, input), OnnxExport.CODES);
  }

  @Override
  public TensorData decode(TensorData codes, List<TensorData> noise, OutputSize size) {
    List<TensorData> n = noise == null ? storedNoises : noise;
    if (n.size() != storedNoises.size()) {
      throw new IllegalArgumentException("expected " + storedNoises.size() + " noise maps, got " + n.size());
    }
    Map<String, TensorData> inputs = new LinkedHashMap<>();
    inputs.put(OnnxExport.CODES, codes);
    for (int i = 0; i < n.size(); i++) {
      inputs.put(OnnxExport.noiseInput(i), n.get(i));
    }
    return run(generator, inputs, size.pooled() ? OnnxExport.IMAGE_256 : OnnxExport.IMAGE);
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
      Map<String, OnnxTensor> feed = new LinkedHashMap<>(tensors);
      feed.putAll(weights.get(session));
      try (OrtSession.Result result = session.run(feed, Set.of(output))) {
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
      weights.values().forEach(w -> w.values().forEach(OnnxTensor::close)); // after the sessions that read them
    }
  }
}
