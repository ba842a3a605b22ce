package dev.psp.cli;

import dev.psp.ModelConfig;
import dev.psp.ModelRegistry;
import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.TensorData;
import dev.psp.nn.PspNetwork;
import dev.psp.onnx.OnnxExport;
import dev.psp.onnx.OnnxGraphBuilder;
import dev.psp.onnx.OnnxModelProto;
import dev.psp.spi.ModelWeights;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code psp export}: writes a checkpoint's encoder, mapping and generator as ONNX files, traced from
 * the network definition in pure Java (no native library is loaded), with a JSON sidecar holding what
 * a runtime needs around them (task, sizes, latent_avg).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export a pSp checkpoint to ONNX: encoder.onnx, mapping.onnx, generator.onnx and psp.json.")
final class ExportCommand implements Callable<Integer> {
  /** The sidecar's file name. */
  static final String SIDECAR = "psp.json";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"-m", "--model"}, required = true, paramLabel = "<name|file.pt>",
      description = "Official name or .pt file.")
  String model;

  @Option(names = "--model-dir", paramLabel = "<folder>", description = "Folder holding the official .pt files.")
  Path modelDir;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "<folder>",
      description = "Folder to write to (created if missing).")
  Path output;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ModelOptions.checkModelName(model);
    ModelRegistry.Resolved r = ModelRegistry.resolve(model, Optional.ofNullable(modelDir));
    Files.createDirectories(output);
    try (Checkpoint cp = CheckpointReader.read(r.file())) {
      Optional<TensorData> avg = cp.latentAvg();
      ModelConfig c = ModelConfig.fromOpts(cp.opts(), avg.isPresent());
      if (r.task().isPresent()) {
        c = c.withTask(r.task().get());
      }
      Map<String, TensorData> sd = cp.stateDict();
      PspNetwork.forConfig(c).stateDictSpec().check(sd, r.file().toString());
      ModelWeights w = new ModelWeights(c, sd);
      write(out, "encoder.onnx", OnnxExport::encoder, w);
      write(out, "mapping.onnx", OnnxExport::mapping, w);
      write(out, "generator.onnx", OnnxExport::generator, w);
      Files.writeString(output.resolve(SIDECAR), sidecar(c, avg.orElse(null), r.file()), StandardCharsets.UTF_8);
      out.printf("%-16s task, sizes, latent_avg%n", SIDECAR);
    }
    return 0;
  }

  private void write(PrintWriter out, String name, Function<ModelWeights, OnnxModelProto> graph, ModelWeights w)
      throws IOException {
    OnnxModelProto m = graph.apply(w);
    m.writeTo(output.resolve(name));
    out.printf("%-16s %,d bytes%n", name, m.size());
  }

  /** The sidecar JSON: configuration, input/output names, latent_avg and the source's SHA-256. */
  static String sidecar(ModelConfig c, TensorData latentAvg, Path source) throws IOException {
    PspNetwork net = PspNetwork.forConfig(c);
    StringBuilder j = new StringBuilder("{\n");
    j.append("  \"format\": \"psp-onnx/1\",\n");
    j.append("  \"opset\": ").append(OnnxGraphBuilder.OPSET).append(",\n");
    j.append("  \"task\": \"").append(c.task().name()).append("\",\n");
    j.append("  \"encoder_type\": \"").append(c.encoderType().officialName()).append("\",\n");
    j.append("  \"input_nc\": ").append(c.inputNc()).append(",\n");
    j.append("  \"input_size\": ").append(PspNetwork.FACE_POOL_SIZE).append(",\n");
    j.append("  \"output_size\": ").append(c.outputSize()).append(",\n");
    j.append("  \"n_styles\": ").append(c.nStyles()).append(",\n");
    j.append("  \"style_dim\": ").append(net.styleDim()).append(",\n");
    j.append("  \"learn_in_w\": ").append(c.learnInW()).append(",\n");
    j.append("  \"start_from_latent_avg\": ").append(c.startFromLatentAvg()).append(",\n");
    j.append("  \"noise_inputs\": ").append(net.numNoises()).append(",\n");
    j.append("  \"source\": \"").append(escape(source.getFileName().toString())).append("\",\n");
    j.append("  \"source_sha256\": \"").append(sha256(source)).append("\",\n");
    j.append("  \"latent_avg\": ");
    if (latentAvg == null) {
      j.append("null");
    } else {
      float[] v = latentAvg.toFloatArray();
      int dim = (int) latentAvg.dim(latentAvg.rank() - 1);
      j.append('[');
      for (int row = 0; row < v.length / dim; row++) {
        j.append(row == 0 ? "\n    [" : ",\n    [");
        for (int k = 0; k < dim; k++) {
          j.append(k == 0 ? "" : ", ").append(v[row * dim + k]);
        }
        j.append(']');
      }
      j.append("\n  ]");
    }
    return j.append("\n}\n").toString();
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
