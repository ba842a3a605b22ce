package dev.psp.training;

import dev.psp.djl.PyTorchEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.psp.ModelMismatchException;
import dev.psp.PspException;
import dev.psp.djl.DjlTensorOps;
import dev.psp.internal.Gaussian;
import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.TensorData;
import dev.psp.nn.PspNetwork;
import dev.psp.nn.RandomWeights;
import dev.psp.nn.StateDictSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The weights a training run starts from, chosen as the official {@code pSp.load_weights} and
 * {@code Coach.__init__} choose them:
 *
 * <ul>
 *   <li>{@code checkpoint_path} set: the whole pSp model and its latent_avg from that checkpoint;
 *   <li>{@code sdk_style_teacher} set (an SDK addition, see {@link StyleTeacher}): the decoder and
 *       latent_avg of that pSp checkpoint, the encoder freshly initialised (then IR-SE-50 as below);
 *   <li>otherwise: the decoder from the StyleGAN2 checkpoint {@code stylegan_weights} (its {@code
 *       g_ema}, loaded non-strictly), latent_avg from its {@code latent_avg} repeated to n_styles
 *       rows (1 with {@code learn_in_w}) or, when it has none, {@code mean_latent(100000)[0]}; the
 *       encoder freshly initialised, then overwritten by the matching keys of the IR-SE-50 file
 *       {@code sdk_ir_se50} when given (without {@code input_layer.*} when {@code label_nc != 0}).
 * </ul>
 */
public final class ModelInit {
  private static final Logger LOG = Logger.getLogger(ModelInit.class.getName());
  /** The number of samples the official Coach averages for a missing latent_avg. */
  public static final int MEAN_LATENT_SAMPLES = 100_000;

  private ModelInit() {}

  /** The starting weights for {@code opts}. */
  public static PspWeights load(TrainOptions opts, PspNetwork net) throws IOException, PspException {
    StateDictSpec spec = net.stateDictSpec();
    String ckpt = opts.string("checkpoint_path");
    if (ckpt != null) {
      try (Checkpoint c = CheckpointReader.read(existing(Path.of(ckpt), "checkpoint_path"))) {
        Map<String, TensorData> sd = c.stateDict();
        spec.check(sd, ckpt);
        // as the official Coach: a checkpoint without latent_avg gets the decoder's mean latent
        TensorData avg = c.latentAvg().isPresent() ? c.latentAvg().get()
            : meanLatent(net, sd, MEAN_LATENT_SAMPLES, opts.seed());
        return new PspWeights(sd, avg);
      }
    }
    Map<String, TensorData> sd = new LinkedHashMap<>(RandomWeights.of(spec, opts.seed()));
    TensorData latentAvg = opts.string("sdk_style_teacher") != null
        ? teacherDecoder(sd, spec, existing(Path.of(opts.string("sdk_style_teacher")), "sdk_style_teacher"))
        : ganDecoder(sd, spec, opts, net);
    String irse = opts.string("sdk_ir_se50");
    if (irse != null) {
      Path p = existing(Path.of(irse), "sdk_ir_se50");
      try (Checkpoint c = CheckpointReader.read(p)) {
        Map<String, TensorData> enc = new LinkedHashMap<>(c.stateDict());
        if (opts.intOpt("label_nc") != 0) {
          enc.keySet().removeIf(k -> k.contains("input_layer"));
        }
        loadNonStrict(sd, spec, "encoder.", enc, p.toString());
      }
    }
    return new PspWeights(sd, latentAvg);
  }

  /** Loads the teacher's decoder (every key, same shapes) into {@code sd}; returns its latent_avg. */
  private static TensorData teacherDecoder(Map<String, TensorData> sd, StateDictSpec spec, Path teacher)
      throws IOException, PspException {
    try (Checkpoint c = CheckpointReader.read(teacher)) {
      Map<String, TensorData> dec = new LinkedHashMap<>();
      c.stateDict().forEach((k, t) -> {
        if (k.startsWith("decoder.")) {
          dec.put(k.substring("decoder.".length()), t);
        }
      });
      long expected = spec.keys().stream().filter(k -> k.startsWith("decoder.")).count();
      if (dec.size() != expected) {
        throw new ModelMismatchException(teacher.toString(), List.of("its decoder has " + dec.size()
            + " entries, the student's " + expected + ": train the student at the teacher's output_size,"
            + " sdk_width_divisor and sdk_n_mlp"));
      }
      loadNonStrict(sd, spec, "decoder.", dec, teacher + " (decoder)");
      return c.latentAvg().orElseThrow(() -> new ModelMismatchException(teacher.toString(),
          List.of("it stores no latent_avg; the teacher must be trained with start_from_latent_avg")));
    }
  }

  /** Loads {@code stylegan_weights}' g_ema into {@code sd} non-strictly; returns the latent_avg. */
  private static TensorData ganDecoder(Map<String, TensorData> sd, StateDictSpec spec, TrainOptions opts,
      PspNetwork net) throws IOException, PspException {
    String gan = opts.string("stylegan_weights");
    Path ganPath = existing(Path.of(gan), "stylegan_weights");
    TensorData latentAvg;
    try (Checkpoint c = CheckpointReader.read(ganPath)) {
      Map<String, Object> root = asMap(c.root(), ganPath);
      Map<String, TensorData> gEma = tensors(root.get("g_ema"), ganPath + " g_ema");
      loadNonStrict(sd, spec, "decoder.", gEma, ganPath + " (g_ema)");
      Object avg = root.get("latent_avg");
      if (avg instanceof TensorData t) {
        latentAvg = repeat(t, opts.learnInW() ? 1 : net.nStyles(), net.styleDim());
      } else {
        latentAvg = meanLatent(net, sd, MEAN_LATENT_SAMPLES, opts.seed());
      }
    }
    return latentAvg;
  }

  /** {@code p}, or a FileNotFoundException naming the option and how to set it. */
  static Path existing(Path p, String option) throws IOException {
    if (!Files.isRegularFile(p)) {
      throw new java.io.FileNotFoundException("option " + option + " names " + p.toAbsolutePath()
          + ", which does not exist (a checkpoint's saved opts keep the path of the machine that"
          + " trained it): pass -s " + option + "=<an existing file>");
    }
    return p;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object root, Path file) throws PspException {
    if (root instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new dev.psp.CheckpointFormatException(file + " is not a dict checkpoint");
  }

  private static Map<String, TensorData> tensors(Object o, String what) throws PspException {
    if (!(o instanceof Map<?, ?> m)) {
      throw new dev.psp.CheckpointFormatException(what + " is missing or not a state_dict");
    }
    Map<String, TensorData> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (e.getValue() instanceof TensorData t) {
        out.put(e.getKey().toString(), t);
      }
    }
    return out;
  }

  /**
   * {@code load_state_dict(strict=False)} under a prefix: keys the network lacks are ignored, keys
   * the file lacks keep their initial values (logged), a shape mismatch is an error (as in PyTorch).
   */
  static void loadNonStrict(Map<String, TensorData> into, StateDictSpec spec, String prefix,
      Map<String, TensorData> from, String source) throws ModelMismatchException {
    List<String> mismatched = new ArrayList<>();
    int loaded = 0;
    for (Map.Entry<String, TensorData> e : from.entrySet()) {
      String key = prefix + e.getKey();
      StateDictSpec.Entry want = spec.get(key);
      if (want == null) {
        continue;
      }
      if (!Arrays.equals(want.shape(), e.getValue().shape())) {
        mismatched.add(key + ": file " + Arrays.toString(e.getValue().shape()) + ", network "
            + Arrays.toString(want.shape()));
        continue;
      }
      into.put(key, e.getValue());
      loaded++;
    }
    if (!mismatched.isEmpty()) {
      throw new ModelMismatchException("size mismatch loading " + source, mismatched, prefix.equals("decoder.")
          ? "The generator in the file has another output size, width or mapping depth than the options ask for:"
              + " set -s output_size, -s sdk_width_divisor and -s sdk_n_mlp to the file's (a StyleGAN2 file"
              + " with args, such as one psp train-stylegan writes, sets them itself when they are left unset)"
          : "The file was made for another architecture: check -s sdk_width_divisor and -s sdk_body_units");
    }
    long expected = spec.keys().stream().filter(k -> k.startsWith(prefix)).count();
    int n = loaded;
    LOG.info(() -> "loaded " + n + " entries of " + source + " into " + prefix + "*");
    if (loaded == 0) {
      throw new ModelMismatchException(source, List.of("no key matches the network's " + prefix
          + "* keys; it is not a checkpoint for this part of pSp"));
    }
    if (prefix.equals("decoder.") && loaded < expected) {
      LOG.warning(source + " set " + loaded + " of " + expected + " decoder entries; the rest keep"
          + " their initial values (load_state_dict strict=False)");
    }
  }

  /** {@code latent_avg [d]} repeated to {@code [rows, d]}, as pSp does for a StyleGAN2 checkpoint. */
  static TensorData repeat(TensorData avg, int rows, int dim) {
    float[] v = avg.toFloatArray();
    if (v.length != dim) {
      throw new IllegalArgumentException("latent_avg of the StyleGAN2 checkpoint has " + v.length
          + " values, the decoder's style dimension is " + dim);
    }
    float[] out = new float[rows * dim];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(v, 0, out, r * dim, dim);
    }
    return TensorData.ofFloats(out, rows, dim);
  }

  /**
   * {@code decoder.mean_latent(n)[0]}: the mean of the mapping network over n standard normal z, a
   * {@code [d]} vector; z comes from a generator seeded with {@code seed}.
   */
  public static TensorData meanLatent(PspNetwork net, Map<String, TensorData> sd, int n, long seed) {
    int d = net.styleDim();
    float[] sum = new float[d];
    try (NDManager m = PyTorchEngine.djl().newBaseManager()) {
      Map<String, NDArray> params = new LinkedHashMap<>();
      sd.forEach((k, t) -> {
        if (k.startsWith("decoder.style.")) {
          params.put(k, DjlTensorOps.toNDArray(m, t));
        }
      });
      java.util.Random r = new java.util.Random(seed ^ 0x6d65616eL);
      double[] acc = new double[d];
      for (int done = 0; done < n; ) {
        int b = Math.min(4096, n - done);
        try (NDManager call = m.newSubManager()) {
          DjlTensorOps ops = new DjlTensorOps(call, params);
          NDArray z = call.create(Gaussian.sample(r, b * d), new ai.djl.ndarray.types.Shape(b, d));
          float[] w = net.mapping(ops, z).sum(new int[] {0}).toFloatArray();
          for (int i = 0; i < d; i++) {
            acc[i] += w[i];
          }
        }
        done += b;
      }
      for (int i = 0; i < d; i++) {
        sum[i] = (float) (acc[i] / n);
      }
    }
    return TensorData.ofFloats(sum, d);
  }
}
