package dev.psp.onnx;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.psp.ModelConfig;
import dev.psp.ModelInfo;
import dev.psp.internal.AtomicFiles;
import dev.psp.io.TensorData;
import dev.psp.nn.PspNetwork;
import dev.psp.spi.ModelExporter;
import dev.psp.spi.ModelWeights;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The {@code onnx} export format: {@code encoder.onnx}, {@code mapping.onnx} and {@code
 * generator.onnx} ({@link OnnxExport}, weights inside, for use without this SDK) and {@code psp.json},
 * the sidecar with what a runtime needs around them (configuration, input and output names,
 * {@code latent_avg}, the checkpoint's SHA-256). Every file is written under a temporary name and
 * renamed when complete. Registered for {@link java.util.ServiceLoader}; stateless and thread-safe.
 */
public final class OnnxExporter implements ModelExporter {
  /** The sidecar's file name. */
  public static final String SIDECAR = "psp.json";
  /** The sidecar's format tag. */
  public static final String SIDECAR_FORMAT = "psp-onnx/1";

  /** Creates the exporter (called by {@link java.util.ServiceLoader}). */
  public OnnxExporter() {}

  @Override
  public String format() {
    return "onnx";
  }

  @Override
  public List<Path> export(ModelWeights weights, ModelInfo info, Path folder) throws IOException {
    List<Path> written = new ArrayList<>();
    Path sidecar = folder.resolve(SIDECAR);
    byte[] json = sidecar(info).getBytes(StandardCharsets.UTF_8);
    // the sidecar goes first and comes back last: a folder whose export failed halfway has none, instead
    // of an earlier export's describing a mix of old and new graphs
    java.nio.file.Files.deleteIfExists(sidecar);
    written.add(write(folder.resolve("encoder.onnx"), OnnxExport.encoder(weights)));
    written.add(write(folder.resolve("mapping.onnx"), OnnxExport.mapping(weights)));
    written.add(write(folder.resolve("generator.onnx"), OnnxExport.generator(weights)));
    AtomicFiles.write(sidecar, out -> out.write(json));
    written.add(sidecar);
    return written;
  }

  private static Path write(Path file, OnnxModelProto model) throws IOException {
    AtomicFiles.write(file, model::writeTo);
    return file;
  }

  /** The sidecar JSON of a model. */
  static String sidecar(ModelInfo info) throws IOException {
    ModelConfig c = info.config();
    PspNetwork net = PspNetwork.forConfig(c);
    JsonObject j = new JsonObject();
    j.addProperty("format", SIDECAR_FORMAT);
    j.addProperty("opset", OnnxGraphBuilder.OPSET);
    j.addProperty("task", c.task().name());
    j.addProperty("encoder_type", c.encoderType().officialName());
    j.addProperty("input_nc", c.inputNc());
    j.addProperty("input_size", dev.psp.Encoder.INPUT_SIZE);
    j.addProperty("output_size", c.outputSize());
    j.addProperty("n_styles", c.nStyles());
    j.addProperty("style_dim", net.styleDim());
    j.addProperty("learn_in_w", c.learnInW());
    j.addProperty("start_from_latent_avg", c.startFromLatentAvg());
    j.addProperty("noise_inputs", net.numNoises());
    j.addProperty("source", info.file().getFileName().toString());
    j.addProperty("source_sha256", sha256(info.file()));
    if (info.latentAvg().isEmpty()) {
      j.add("latent_avg", com.google.gson.JsonNull.INSTANCE);
    } else {
      TensorData avg = info.latentAvg().get();
      float[] v = avg.toFloatArray();
      int dim = (int) avg.dim(avg.rank() - 1);
      JsonArray rows = new JsonArray();
      for (int row = 0; row < v.length / dim; row++) {
        JsonArray r = new JsonArray();
        for (int k = 0; k < dim; k++) {
          r.add(v[row * dim + k]);
        }
        rows.add(r);
      }
      j.add("latent_avg", rows);
    }
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(j) + "\n";
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
