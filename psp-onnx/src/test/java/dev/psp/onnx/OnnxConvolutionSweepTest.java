package dev.psp.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.psp.io.TensorData;
import dev.psp.testing.ConvolutionSweepTest;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The convolution sweep on the onnx engine: one graph per configuration with a {@code Conv} node per
 * channel count, traced by {@link OnnxGraphBuilder#conv2d} with the weights as graph inputs, as the
 * engine runs its models (small biases stay initializers), and run by ONNX Runtime with the engine's
 * session options.
 */
class OnnxConvolutionSweepTest extends ConvolutionSweepTest {

  @Override
  protected String engineName() {
    return "onnx";
  }

  @Override
  protected List<float[]> convolve(List<Case> cases) throws Exception {
    Map<String, TensorData> params = new HashMap<>();
    OnnxGraphBuilder g = new OnnxGraphBuilder(params::get, true);
    Map<String, TensorData> inputs = new LinkedHashMap<>();
    List<String> outputs = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      Case k = cases.get(i);
      params.put("w" + i, TensorData.ofFloats(k.weight(), k.weightShape()));
      if (k.bias() != null) {
        params.put("b" + i, TensorData.ofFloats(k.bias(), k.bias().length));
      }
      String x = g.input("x" + i, "batch", k.xShape());
      String y = g.conv2d(x, g.param("w" + i), k.bias() == null ? null : g.param("b" + i),
          k.config().stride(), k.config().padding());
      g.output(y, "y" + i);
      outputs.add("y" + i);
      inputs.put("x" + i, TensorData.ofFloats(k.x(), k.xShape()));
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    List<float[]> out = new ArrayList<>();
    Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
    OnnxModelProto model = g.build("sweep", "convolution sweep");
    inputs.putAll(model.weightInputs());
    try (OrtSession.SessionOptions options = OnnxEngine.instance().sessionOptions(dev.psp.Device.cpu());
        OrtSession session = env.createSession(model.toByteArray(), options)) {
      for (Map.Entry<String, TensorData> e : inputs.entrySet()) {
        tensors.put(e.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(e.getValue().toFloatArray()),
            e.getValue().shape()));
      }
      try (OrtSession.Result r = session.run(tensors)) {
        for (String name : outputs) {
          FloatBuffer b = ((OnnxTensor) r.get(name).orElseThrow()).getFloatBuffer();
          float[] v = new float[b.remaining()];
          b.get(v);
          out.add(v);
        }
      }
    } finally {
      tensors.values().forEach(OnnxTensor::close);
    }
    return out;
  }
}
