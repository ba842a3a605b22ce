package dev.psp;

import dev.psp.image.AdaptivePool;
import dev.psp.image.ImageConversion;
import dev.psp.image.Preprocessing;
import dev.psp.internal.Gaussian;
import dev.psp.io.TensorData;
import dev.psp.spi.EngineModel;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * A loaded pSp model: {@code pSp(x) = G(E(x) + w_avg)}, running on one engine and device.
 *
 * <p>Get one from {@link Psp#load(String)}. {@link #translate(BufferedImage)} does what the official
 * inference script does (fixed noise, full-resolution output). The {@link #encoder()} and
 * {@link #generator()} views give the two halves; {@link StyleMixer} builds multi-modal outputs.
 * ReStyle models ({@link ModelConfig#iterative()}) encode by {@link #refine iterative refinement}:
 * {@code encode} and {@code translate} run {@link ModelConfig#defaultIterations()} steps.
 * Thread-safe: one model may serve several threads. Close it to free its native memory; closing waits
 * for the calls other threads have in flight, and later calls fail with {@link IllegalStateException}.
 */
public final class PspModel implements AutoCloseable {
  private final ModelConfig config;
  private final dev.psp.internal.ClosingGuard engineModel;
  private final String engineName;
  private final Device device;
  private final Path source;
  private final LatentCode latentAvg;
  private final int styleDim;
  private volatile TensorData averageImage;
  private final Encoder encoder = new PspEncoder();
  private final Generator generator = new PspGenerator();

  PspModel(ModelConfig config, EngineModel engineModel, String engineName, Device device, Path source,
      TensorData latentAvg, int styleDim) {
    this.styleDim = styleDim;
    this.config = config;
    this.engineModel = new dev.psp.internal.ClosingGuard(engineModel, String.valueOf(source));
    this.engineName = engineName;
    this.device = device;
    this.source = source;
    this.latentAvg = latentAvg == null ? null : latentAvgRows(latentAvg, config.nStyles(), styleDim);
  }

  /**
   * latent_avg as a batch-1 code: {@code [n_styles, dim]} as is; {@code [dim]} or {@code [1, dim]}
   * broadcast to all rows.
   *
   * @throws IllegalArgumentException for any other shape, saying which ones the network takes
   */
  static LatentCode latentAvgRows(TensorData avg, int nStyles, int styleDim) {
    long[] s = avg.shape();
    boolean rows = s.length == 2 && (s[0] == nStyles || s[0] == 1);
    if (!(rows || s.length == 1) || s[s.length - 1] != styleDim) {
      throw new IllegalArgumentException("latent_avg has shape " + Arrays.toString(s) + ", but this " + nStyles
          + "-style network with " + styleDim + "-wide styles takes [" + nStyles + ", " + styleDim + "], [1, "
          + styleDim + "] or [" + styleDim + "]");
    }
    float[] v = avg.toFloatArray();
    return s.length == 2 && s[0] == nStyles ? LatentCode.of(v, 1, nStyles, styleDim)
        : LatentCode.repeatW(v, 1, nStyles, styleDim);
  }

  /** The architecture and options. */
  public ModelConfig config() {
    return config;
  }

  /** The task; decides the preprocessing of image inputs. */
  public TranslationTask task() {
    return config.task();
  }

  /** The engine's name. */
  public String engine() {
    return engineName;
  }

  /** The device. */
  public Device device() {
    return device;
  }

  /** The checkpoint this model came from. */
  public Path source() {
    return source;
  }

  /** {@code latent_avg} as a batch-1 W+ code, if the checkpoint has one. */
  public Optional<LatentCode> latentAvg() {
    return Optional.ofNullable(latentAvg);
  }

  /** The encoder half. */
  public Encoder encoder() {
    return encoder;
  }

  /** The generator half. */
  public Generator generator() {
    return generator;
  }

  /**
   * Translates one image as the official inference script does: the task's preprocessing, encoding,
   * decoding with the stored noise at full resolution, and {@code tensor2im}.
   */
  public BufferedImage translate(BufferedImage image) {
    return translate(List.of(image), Noise.fixed(), OutputSize.FULL).get(0);
  }

  /** Translates a batch of images with the given noise, optionally pooled to 256×256. */
  public List<BufferedImage> translate(List<BufferedImage> images, Noise noise, OutputSize size) {
    TensorData out = forward(encoder.preprocess(images), noise, size);
    List<BufferedImage> result = new ArrayList<>();
    for (int b = 0; b < images.size(); b++) {
      result.add(ImageConversion.toImage(out, b));
    }
    return result;
  }

  /**
   * The official {@code pSp.forward(x, resize, randomize_noise)} on a preprocessed batch; for ReStyle
   * models, the image after {@link ModelConfig#defaultIterations()} refinement steps.
   *
   * @param input {@code [B, input_nc, 256, 256]}
   * @return {@code [B, 3, S, S]} (256 with {@link OutputSize#POOLED}), unclamped
   */
  public TensorData forward(TensorData input, Noise noise, OutputSize size) {
    if (config.iterative() && noise.isFixed() && size == OutputSize.FULL) {
      return last(refine(input, config.defaultIterations())).image(); // the last step already decoded it
    }
    return generator.synthesize(encoder.encode(input), noise, size);
  }

  /** The most refinement steps {@link #refine} accepts. */
  public static final int MAX_ITERATIONS = 100;

  /**
   * ReStyle's iterative refinement (Alaluf et al. 2021; the official {@code run_on_batch}): step 0
   * encodes the input next to the average image ({@code latent_avg} decoded and pooled to 256) and
   * adds {@code latent_avg}; every later step encodes the input next to the previous reconstruction
   * pooled to 256 and adds the previous code. The generator uses the stored noise.
   *
   * @param input preprocessed images {@code [B, image_nc, 256, 256]} (see {@link Encoder#preprocess})
   * @param iterations steps, 1 to {@link #MAX_ITERATIONS}
   * @return every step's code and full-size reconstruction, in order
   * @throws IllegalStateException if this is not a ReStyle model
   */
  public List<RefinementStep> refine(TensorData input, int iterations) {
    ensureOpen();
    if (!config.iterative()) {
      throw new IllegalStateException("iterative refinement needs a ReStyle model; " + source + " is a "
          + config.family().displayName() + " model (encoder_type " + config.encoderType().officialName()
          + "): use encode or translate");
    }
    if (iterations < 1 || iterations > MAX_ITERATIONS) {
      throw new IllegalArgumentException("iterations must be between 1 and " + MAX_ITERATIONS + ", got " + iterations);
    }
    checkInput(input, config.imageNc());
    checkFinite(input, "encoder input");
    if (latentAvg == null) {
      throw new IllegalStateException("ReStyle starts from latent_avg, but " + source + " has none");
    }
    int batch = Math.toIntExact(input.dim(0));
    TensorData reconstruction = repeat(averageImage(), batch);
    LatentCode code = latentAvg;
    List<RefinementStep> steps = new ArrayList<>(iterations);
    for (int i = 0; i < iterations; i++) {
      TensorData x = concatChannels(input, reconstruction);
      code = LatentCode.fromTensor(engineModel.encode(x), config.nStyles()).add(code);
      TensorData image = engineModel.decode(code.toTensor(), null, OutputSize.FULL);
      steps.add(new RefinementStep(i, code, image));
      if (i + 1 < iterations) {
        reconstruction = AdaptivePool.pool(image, dev.psp.Encoder.INPUT_SIZE);
      }
    }
    return List.copyOf(steps);
  }

  /** ReStyle's refinement of images after the task's preprocessing. */
  public List<RefinementStep> refine(List<BufferedImage> images, int iterations) {
    return refine(encoder.preprocess(images), iterations);
  }

  /**
   * ReStyle's starting image, {@code get_average_image}: latent_avg decoded with the stored noise and
   * pooled to 256, {@code [1,3,256,256]}. Computed once.
   */
  public TensorData averageImage() {
    ensureOpen();
    TensorData avg = averageImage;
    if (avg == null) {
      if (latentAvg == null) {
        throw new IllegalStateException(source + " has no latent_avg");
      }
      avg = engineModel.decode(latentAvg.toTensor(), null, OutputSize.POOLED);
      averageImage = avg;
    }
    return avg;
  }

  private static RefinementStep last(List<RefinementStep> steps) {
    return steps.get(steps.size() - 1);
  }

  private static TensorData repeat(TensorData one, int batch) {
    float[] v = one.toFloatArray();
    float[] out = new float[v.length * batch];
    for (int b = 0; b < batch; b++) {
      System.arraycopy(v, 0, out, b * v.length, v.length);
    }
    long[] s = one.shape().clone();
    s[0] = batch;
    return TensorData.ofFloats(out, s);
  }

  /** {@code torch.cat([a, b], dim=1)} for {@code [B,C,H,W]} tensors. */
  private static TensorData concatChannels(TensorData a, TensorData b) {
    long[] sa = a.shape();
    long[] sb = b.shape();
    int batch = Math.toIntExact(sa[0]);
    int pa = Math.toIntExact(sa[1] * sa[2] * sa[3]);
    int pb = Math.toIntExact(sb[1] * sb[2] * sb[3]);
    float[] va = a.toFloatArray();
    float[] vb = b.toFloatArray();
    float[] out = new float[batch * (pa + pb)];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(va, i * pa, out, i * (pa + pb), pa);
      System.arraycopy(vb, i * pb, out, i * (pa + pb) + pa, pb);
    }
    return TensorData.ofFloats(out, sa[0], sa[1] + sb[1], sa[2], sa[3]);
  }

  /**
   * Refuses NaN and infinite values: the networks would turn them into blank or NaN images without a
   * word. Names the first bad position.
   */
  static void checkFinite(TensorData t, String what) {
    float[] v = t.toFloatArray();
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException(what + " holds " + v[i] + " at flat index " + i + " of shape "
            + Arrays.toString(t.shape()) + "; inputs and codes must be finite numbers");
      }
    }
  }

  private void checkInput(TensorData input, int channels) {
    long[] s = input.shape();
    if (s.length != 4 || s[1] != channels || s[2] != dev.psp.Encoder.INPUT_SIZE || s[3] != dev.psp.Encoder.INPUT_SIZE) {
      throw new IllegalArgumentException("encoder input must be [B, " + channels + ", 256, 256], got "
          + Arrays.toString(s) + (s.length == 4 && s[1] != channels
              ? "; this " + config.task() + " model takes " + channels + " channel(s)" : "")
          + (s.length == 4 && (s[2] != 256 || s[3] != 256)
              ? "; the official encoders only work at 256x256: use encode(BufferedImage) or Preprocessing" : ""));
    }
    if (s[0] < 1) {
      throw new IllegalArgumentException("encoder input batch must be >= 1");
    }
  }

  /**
   * Frees the engine's memory for this model, after the calls other threads have in flight; calls
   * after it fail with {@link IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    engineModel.close();
  }

  private void ensureOpen() {
    if (engineModel.isClosed()) {
      throw new IllegalStateException("this PspModel (" + source + ") is closed");
    }
  }

  @Override
  public String toString() {
    return "PspModel[" + config.family().displayName() + ", " + config.task() + ", " + config.encoderType().officialName() + ", input_nc="
        + config.inputNc() + ", " + config.outputSize() + "px, engine=" + engineName + ", device=" + device + "]";
  }

  /**
   * Per-layer noise [B,1,r,r] for layer i of num_layers = n_styles − 1: sample b draws its layers in
   * order, pixel by pixel, from a generator of its own seeded with {@link #sampleSeed sampleSeed(seed,
   * stream of b)}.
   */
  static List<TensorData> seededNoise(Noise noise, int batch, int nStyles) {
    long seed = noise.seed().orElseThrow();
    int layers = nStyles - 1;
    float[][] planes = new float[layers][];
    for (int i = 0; i < layers; i++) {
      int r = 1 << ((i + 5) / 2);
      planes[i] = new float[batch * r * r];
    }
    for (int b = 0; b < batch; b++) {
      Random random = new Random(sampleSeed(seed, noise.stream(b, batch)));
      for (int i = 0; i < layers; i++) {
        int plane = planes[i].length / batch;
        System.arraycopy(Gaussian.sample(random, plane), 0, planes[i], b * plane, plane);
      }
    }
    List<TensorData> out = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      int r = 1 << ((i + 5) / 2);
      out.add(TensorData.ofFloats(planes[i], batch, 1, r, r));
    }
    return out;
  }

  /**
   * The seed of sample {@code index}'s noise stream: SplitMix64's finalizer over {@code seed} and the
   * index, so that neighbouring seeds and samples get unrelated streams (and none equals {@code new
   * Random(seed + k)}, from which {@link StyleMixer#randomCodes} draws its codes).
   */
  static long sampleSeed(long seed, long index) {
    long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private final class PspEncoder implements Encoder {
    @Override
    public LatentCode encode(TensorData input) {
      ensureOpen();
      if (config.iterative()) {
        return last(refine(input, config.defaultIterations())).code();
      }
      checkInput(input, config.inputNc());
      checkFinite(input, "encoder input");
      TensorData raw = engineModel.encode(input);
      LatentCode codes = LatentCode.fromTensor(raw, config.nStyles());
      if (config.startFromLatentAvg()) {
        if (latentAvg == null) {
          throw new IllegalStateException("opts.start_from_latent_avg is true but the checkpoint has no latent_avg");
        }
        codes = codes.add(latentAvg);
      }
      return codes;
    }

    @Override
    public TensorData preprocess(List<BufferedImage> images) {
      return Preprocessing.toTensor(images, config.task().inputKind(), config.imageNc());
    }

    @Override
    public int inputNc() {
      return config.imageNc();
    }
  }

  private final class PspGenerator implements Generator {
    @Override
    public TensorData synthesize(LatentCode codes, Noise noise, OutputSize size) {
      ensureOpen();
      if (codes.nStyles() != config.nStyles()) {
        throw new IllegalArgumentException("codes have " + codes.nStyles() + " rows, this " + config.outputSize()
            + "px generator takes " + config.nStyles());
      }
      if (codes.dim() != styleDim) {
        throw new IllegalArgumentException("codes are " + codes.dim() + " wide, this generator's styles are "
            + styleDim + " wide");
      }
      checkFinite(codes.toTensor(), "latent code");
      List<TensorData> n = noise.isFixed() ? null
          : seededNoise(noise, codes.batchSize(), config.nStyles());
      return engineModel.decode(codes.toTensor(), n, size);
    }

    @Override
    public LatentCode mapping(TensorData z) {
      ensureOpen();
      if (z.rank() != 2 || z.dim(1) != styleDim || z.dim(0) < 1) {
        throw new IllegalArgumentException("z must be [B, " + styleDim + "] for this generator, got "
            + Arrays.toString(z.shape()));
      }
      checkFinite(z, "z");
      return LatentCode.fromTensor(engineModel.mapping(z), config.nStyles());
    }

    @Override
    public LatentCode randomCodes(int count, long seed) {
      if (count < 1) {
        throw new IllegalArgumentException("count must be >= 1, got " + count);
      }
      int dim = styleDim;
      return mapping(TensorData.ofFloats(Gaussian.sample(seed, count * dim), count, dim));
    }

    @Override
    public LatentCode meanLatent(int samples, long seed) {
      if (samples < 1) {
        throw new IllegalArgumentException("samples must be >= 1, got " + samples);
      }
      int dim = styleDim;
      double[] sum = new double[dim];
      Random random = new Random(seed);
      int chunk = 1000;
      for (int done = 0; done < samples; done += chunk) {
        int n = Math.min(chunk, samples - done);
        TensorData w = engineModel.mapping(TensorData.ofFloats(Gaussian.sample(random, n * dim), n, dim));
        float[] v = w.toFloatArray();
        for (int i = 0; i < v.length; i++) {
          sum[i % dim] += v[i];
        }
      }
      float[] mean = new float[dim];
      for (int i = 0; i < dim; i++) {
        mean[i] = (float) (sum[i] / samples);
      }
      return LatentCode.repeatW(mean, 1, config.nStyles(), dim);
    }

    @Override
    public int outputSize() {
      return config.outputSize();
    }

    @Override
    public int nStyles() {
      return config.nStyles();
    }
  }
}
