package dev.psp.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.psp.LatentCode;
import dev.psp.LoadOptions;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.TranslationTask;
import dev.psp.io.TensorData;
import dev.psp.testing.TinyModels;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Psp#export} to onnx on a small checkpoint: the files run in plain ONNX Runtime and match the API. */
class OnnxExporterTest {
  @TempDir Path dir;

  @Test
  void exportWritesThreeGraphsAndASidecarThatReproduceTheModel() throws Exception {
    Path model = TinyModels.write(dir, TranslationTask.SKETCH_TO_FACE, 31);
    Path out = dir.resolve("onnx");
    assertThat(Psp.exportFormats()).contains("onnx");
    List<Path> files = Psp.export(model.toString(), "onnx", out, LoadOptions.defaults());
    assertThat(files).extracting(p -> p.getFileName().toString())
        .containsExactly("encoder.onnx", "mapping.onnx", "generator.onnx", OnnxExporter.SIDECAR);
    files.forEach(f -> assertThat(f).isNotEmptyFile());
    try (java.util.stream.Stream<Path> left = Files.list(out)) {
      assertThat(left.map(p -> p.getFileName().toString())).as("no temporary files left").hasSize(4);
    }

    String json = Files.readString(out.resolve(OnnxExporter.SIDECAR));
    JsonObject side = JsonParser.parseString(json).getAsJsonObject();
    assertThat(side.get("format").getAsString()).isEqualTo(OnnxExporter.SIDECAR_FORMAT);
    assertThat(side.get("task").getAsString()).isEqualTo("SKETCH_TO_FACE");
    assertThat(side.get("n_styles").getAsInt()).isEqualTo(8);
    assertThat(side.get("input_nc").getAsInt()).isEqualTo(1);
    assertThat(side.get("output_size").getAsInt()).isEqualTo(32);
    assertThat(side.get("source_sha256").getAsString()).hasSize(64);
    assertThat(side.getAsJsonArray("latent_avg")).hasSize(8);

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
      assertThat(side.getAsJsonArray("latent_avg").get(0).getAsJsonArray().get(0).getAsFloat()).isEqualTo(avg[0]);
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
