package dev.psp.testing;

import dev.psp.EncoderType;
import dev.psp.TranslationTask;
import dev.psp.io.CheckpointWriter;
import dev.psp.io.TensorData;
import dev.psp.nn.Architecture;
import dev.psp.nn.PspNetwork;
import dev.psp.nn.RandomWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small random pSp checkpoints in the official format, for tests that run whole models: the official
 * structure with every width divided by 16 (32-dimensional styles), one unit per IR-SE stage and a
 * 2-layer mapping network, at 32×32 output (8 W+ rows). A forward pass takes milliseconds.
 */
public final class TinyModels {
  /** The architecture of the tiny models. */
  public static final Architecture ARCH = new Architecture(16, List.of(1, 1, 1, 1), 2);
  /** Their output size. */
  public static final int SIZE = 32;

  private TinyModels() {}

  /**
   * Writes a rosinality-format StyleGAN2 checkpoint of a random generator: {@code g_ema} (the
   * decoder's keys without the {@code decoder.} prefix) and, when given, {@code latent_avg}.
   */
  public static Path writeStyleGan(Path file, int size, Architecture arch, long seed, TensorData latentAvg)
      throws IOException {
    PspNetwork net = new PspNetwork(size, 3, EncoderType.GRADUAL_STYLE, arch);
    Map<String, TensorData> g = new LinkedHashMap<>();
    RandomWeights.of(net.stateDictSpec(), seed).forEach((k, v) -> {
      if (k.startsWith("decoder.")) {
        g.put(k.substring("decoder.".length()), v);
      }
    });
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("g_ema", new CheckpointWriter.OrderedDict(g));
    if (latentAvg != null) {
      root.put("latent_avg", latentAvg);
    }
    CheckpointWriter.write(file, root);
    return file;
  }

  /** Writes a tiny checkpoint for a task (its input kind decides input_nc) and returns its path. */
  public static Path write(Path dir, TranslationTask task, long seed) throws IOException {
    return write(dir.resolve("tiny_" + task.name().toLowerCase(java.util.Locale.ROOT) + ".pt"), task,
        EncoderType.GRADUAL_STYLE, SIZE, seed);
  }

  /** Writes a tiny checkpoint of any encoder type and output size. */
  public static Path write(Path file, TranslationTask task, EncoderType type, int size, long seed)
      throws IOException {
    int imageNc = task.inputNc();
    // ReStyle's encoders read the image and the 3-channel reconstruction
    int nc = imageNc + (type.isReStyle() ? dev.psp.ModelConfig.RECONSTRUCTION_NC : 0);
    PspNetwork net = new PspNetwork(size, nc, type, ARCH);
    Map<String, TensorData> sd = new LinkedHashMap<>(RandomWeights.of(net.stateDictSpec(), seed));
    // the official init makes noise invisible (weight 0); give it weight so noise modes can be told apart
    sd.replaceAll((k, t) -> k.endsWith(".noise.weight") ? TensorData.ofFloats(new float[] {0.3f}, 1) : t);
    Map<String, Object> opts = new LinkedHashMap<>();
    opts.put("exp_dir", "tiny");
    opts.put("dataset_type", task.datasetType().orElse("ffhq_encode"));
    opts.put("encoder_type", type.officialName());
    opts.put("input_nc", (long) nc);
    opts.put("label_nc", imageNc == 3 ? 0L : (long) imageNc);
    opts.put("output_size", (long) size);
    opts.put("start_from_latent_avg", true);
    opts.put("learn_in_w", type == EncoderType.INTO_W);
    opts.put("device", "cuda:0");
    opts.put("n_styles", (long) net.nStyles());
    opts.putAll(ARCH.toOpts());
    int rows = type == EncoderType.INTO_W ? 1 : net.nStyles();
    float[] avg = new float[rows * net.styleDim()];
    Random r = new Random(seed ^ 0x5eed);
    for (int i = 0; i < avg.length; i++) {
      avg[i] = (float) (0.1 * r.nextGaussian());
    }
    CheckpointWriter.writePsp(file, sd, opts, TensorData.ofFloats(avg, rows, net.styleDim()));
    return file;
  }
}
