package dev.psp.onnx;

import dev.psp.ModelConfig;
import dev.psp.io.TensorData;
import dev.psp.nn.PspNetwork;
import dev.psp.spi.ModelWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Exports a pSp checkpoint to ONNX by tracing the single network definition ({@link PspNetwork}) with
 * an {@link OnnxGraphBuilder}. Three graphs, each with a dynamic batch dimension:
 *
 * <ul>
 *   <li>{@code encoder}: {@code image [B,input_nc,256,256]} → {@code codes [B,n_styles,512]} (or
 *       {@code [B,512]} for the W encoder), latent_avg not added;
 *   <li>{@code mapping}: {@code z [B,512]} → {@code w [B,512]};
 *   <li>{@code generator}: {@code codes [B,n_styles,512]} and {@code noise_0 … noise_{k}} ({@code
 *       [1 or B,1,r,r]}; feed the stored buffers for fixed noise) → {@code image [B,3,S,S]} and
 *       {@code image_256 [B,3,256,256]} ({@code face_pool}); ONNX Runtime computes only the outputs
 *       asked for.
 * </ul>
 *
 * <p>Each model carries its configuration in {@code metadata_props}. Thread-safe (stateless).
 */
public final class OnnxExport {
  /** Name of the encoder input. */
  public static final String IMAGE = "image";
  /** Name of the encoder output and the generator input. */
  public static final String CODES = "codes";
  /** Name of the mapping input. */
  public static final String Z = "z";
  /** Name of the mapping output. */
  public static final String W = "w";
  /** Name of the generator's face_pool output. */
  public static final String IMAGE_256 = "image_256";

  private OnnxExport() {}

  /** The name of generator input i: {@code noise_i}. */
  public static String noiseInput(int i) {
    return "noise_" + i;
  }

  /** The encoder graph, self-contained. */
  public static OnnxModelProto encoder(ModelWeights weights) {
    return encoder(weights, false);
  }

  /** The encoder graph; with {@code weightInputs}, its weights are graph inputs (see OnnxModelProto). */
  public static OnnxModelProto encoder(ModelWeights weights, boolean weightInputs) {
    PspNetwork net = PspNetwork.forConfig(weights.config());
    OnnxGraphBuilder g = builder(weights, "encoder", weightInputs);
    String x = g.input(IMAGE, "batch", -1, net.inputNc(), dev.psp.Encoder.INPUT_SIZE, dev.psp.Encoder.INPUT_SIZE);
    g.output(net.encode(g, x), CODES);
    return g.build("encoder", "pSp encoder " + net + ": " + IMAGE + " -> " + CODES + " (without latent_avg)");
  }

  /** The mapping graph z → w, self-contained. */
  public static OnnxModelProto mapping(ModelWeights weights) {
    return mapping(weights, false);
  }

  /** The mapping graph z → w; with {@code weightInputs}, its weights are graph inputs. */
  public static OnnxModelProto mapping(ModelWeights weights, boolean weightInputs) {
    PspNetwork net = PspNetwork.forConfig(weights.config());
    OnnxGraphBuilder g = builder(weights, "mapping", weightInputs);
    String z = g.input(Z, "batch", -1, net.styleDim());
    g.output(net.mapping(g, z), W);
    return g.build("mapping", "StyleGAN2 mapping network: " + Z + " -> " + W);
  }

  /** The generator graph (W+ codes and noise maps to images, with and without face_pool), self-contained. */
  public static OnnxModelProto generator(ModelWeights weights) {
    return generator(weights, false);
  }

  /** The generator graph; with {@code weightInputs}, its weights are graph inputs. */
  public static OnnxModelProto generator(ModelWeights weights, boolean weightInputs) {
    PspNetwork net = PspNetwork.forConfig(weights.config());
    OnnxGraphBuilder g = builder(weights, "generator", weightInputs);
    String codes = g.input(CODES, "batch", -1, net.nStyles(), net.styleDim());
    List<String> noise = new ArrayList<>();
    for (int i = 0; i < net.numNoises(); i++) {
      long[] s = net.noiseShape(i);
      noise.add(g.input(noiseInput(i), "noise_batch", -1, s[1], s[2], s[3]));
    }
    String image = net.decode(g, codes, noise);
    g.output(image, IMAGE);
    g.output(net.facePool(g, image), IMAGE_256);
    return g.build("generator", "StyleGAN2 generator (input_is_latent=True): " + CODES + ", noise_0.."
        + (net.numNoises() - 1) + " -> " + IMAGE + " [B,3," + net.outputSize() + "," + net.outputSize()
        + "], " + IMAGE_256 + " (face_pool)");
  }

  /** The stored noise buffers {@code decoder.noises.noise_i}, the generator inputs for fixed noise. */
  public static List<TensorData> storedNoises(ModelWeights weights) {
    PspNetwork net = PspNetwork.forConfig(weights.config());
    List<TensorData> out = new ArrayList<>();
    for (int i = 0; i < net.numNoises(); i++) {
      String key = net.decoder().noiseKey(i);
      TensorData t = weights.stateDict().get(key);
      if (t == null) {
        throw new IllegalArgumentException("the state_dict has no " + key);
      }
      out.add(t);
    }
    return out;
  }

  private static OnnxGraphBuilder builder(ModelWeights weights, String graph, boolean weightInputs) {
    Map<String, TensorData> sd = weights.stateDict();
    OnnxGraphBuilder g = new OnnxGraphBuilder(sd::get, weightInputs);
    ModelConfig c = weights.config();
    g.metadata("psp.graph", graph);
    g.metadata("psp.task", c.task().name());
    g.metadata("psp.encoder_type", c.encoderType().officialName());
    g.metadata("psp.input_nc", Integer.toString(c.inputNc()));
    g.metadata("psp.output_size", Integer.toString(c.outputSize()));
    g.metadata("psp.n_styles", Integer.toString(c.nStyles()));
    g.metadata("psp.learn_in_w", Boolean.toString(c.learnInW()));
    g.metadata("psp.start_from_latent_avg", Boolean.toString(c.startFromLatentAvg()));
    return g;
  }
}
