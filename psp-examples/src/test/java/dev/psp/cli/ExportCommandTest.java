package dev.psp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.psp.LatentCode;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.TranslationTask;
import dev.psp.io.TensorData;
import dev.psp.testing.TinyModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code psp export} on a small checkpoint: the files run in plain ONNX Runtime and match the API. */
class ExportCommandTest {
  @TempDir Path dir;

  @Test
  void exportWritesThreeGraphsAndASidecarThatReproduceTheModel() throws Exception {
    Path model = TinyModels.write(dir, TranslationTask.SKETCH_TO_FACE, 31);
    Path out = dir.resolve("onnx");
    StringWriter stdout = new StringWriter();
    StringWriter stderr = new StringWriter();
    int code = PspCli.run(new String[] {"export", "--model", model.toString(), "--output", out.toString()},
        new PrintWriter(stdout, true), new PrintWriter(stderr, true));
    assertThat(code).as(stderr.toString()).isZero();
    assertThat(stdout.toString()).contains("encoder.onnx").contains("mapping.onnx").contains("generator.onnx");
    assertThat(out.resolve("encoder.onnx")).isNotEmptyFile();
    assertThat(out.resolve("generator.onnx")).isNotEmptyFile();

    String json = Files.readString(out.resolve(ExportCommand.SIDECAR));
    assertThat(json).contains("\"task\": \"SKETCH_TO_FACE\"").contains("\"n_styles\": 8")
        .contains("\"input_nc\": 1").contains("\"output_size\": 32").contains("\"source_sha256\": \"")
        .contains("\"latent_avg\": [");

    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (PspModel api = Psp.load(model);
        OrtSession mapping = env.createSession(out.resolve("mapping.onnx").toString());
        OrtSession encoder = env.createSession(out.resolve("encoder.onnx").toString())) {
      int dim = TinyModels.ARCH.styleDim();
      float[] z = new float[dim];
      for (int i = 0; i < dim; i++) {
        z[i] = (float) Math.sin(i);
      }
      LatentCode expected = api.generator().mapping(TensorData.ofFloats(z, 1, dim));
      float[] w = run(env, mapping, "z", z, new long[] {1, dim}, "w");
      for (int i = 0; i < dim; i++) {
        assertThat(w[i]).isCloseTo(expected.row(0, 0)[i], org.assertj.core.data.Offset.offset(1e-4f));
      }
      // the sidecar's latent_avg plus the encoder output are the API's codes
      float[] image = new float[256 * 256];
      java.util.Arrays.fill(image, 0.5f);
      float[] raw = run(env, encoder, "image", image, new long[] {1, 1, 256, 256}, "codes");
      LatentCode codes = api.encoder().encode(TensorData.ofFloats(image, 1, 1, 256, 256));
      float[] avg = api.latentAvg().orElseThrow().values();
      assertThat(json).contains(Float.toString(avg[0]));
      for (int i = 0; i < raw.length; i++) {
        assertThat(raw[i] + avg[i]).isCloseTo(codes.values()[i], org.assertj.core.data.Offset.offset(1e-4f));
      }
    }
  }

  static float[] run(OrtEnvironment env, OrtSession s, String in, float[] v, long[] shape, String out)
      throws Exception {
    try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(v), shape);
        OrtSession.Result r = s.run(Map.of(in, t))) {
      FloatBuffer b = ((OnnxTensor) r.get(out).orElseThrow()).getFloatBuffer();
      float[] a = new float[b.remaining()];
      b.get(a);
      return a;
    }
  }
}
