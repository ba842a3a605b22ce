package dev.psp;

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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A loaded pSp model: {@code pSp(x) = G(E(x) + w_avg)}, running on one engine and device.
 *
 * <p>Get one from {@link Psp#load(String)}. {@link #translate(BufferedImage)} does what the official
 * inference script does (fixed noise, full-resolution output). The {@link #encoder()} and
 * {@link #generator()} views give the two halves; {@link StyleMixer} builds multi-modal outputs.
 * Thread-safe: one model may serve several threads. Close it to free its native memory.
 */
public final class PspModel implements AutoCloseable {
  private final ModelConfig config;
  private final EngineModel engineModel;
  private final String engineName;
  private final Device device;
  private final Path source;
  private final LatentCode latentAvg;
  private final int styleDim;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Encoder encoder = new PspEncoder();
  private final Generator generator = new PspGenerator();

  PspModel(ModelConfig config, EngineModel engineModel, String engineName, Device device, Path source,
      TensorData latentAvg, int styleDim) {
    this.styleDim = styleDim;
    this.config = config;
    this.engineModel = engineModel;
    this.engineName = engineName;
    this.device = device;
    this.source = source;
    this.latentAvg = latentAvg == null ? null : toRows(latentAvg, config);
  }

  /** latent_avg as a batch-1 code: [n,512] as is; [512] or [1,512] broadcast to all rows. */
  private static LatentCode toRows(TensorData avg, ModelConfig config) {
    long[] s = avg.shape();
    float[] v = avg.toFloatArray();
    if (s.length == 2 && s[0] == config.nStyles()) {
      return LatentCode.of(v, 1, config.nStyles(), (int) s[1]);
    }
    if (s.length == 1 || (s.length == 2 && s[0] == 1)) {
      return LatentCode.repeatW(v, 1, config.nStyles(), (int) s[s.length - 1]);
    }
    throw new IllegalArgumentException("latent_avg must be [n_styles, dim], [1, dim] or [dim], got "
        + Arrays.toString(s));
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
   * The official {@code pSp.forward(x, resize, randomize_noise)} on a preprocessed batch.
   *
   * @param input {@code [B, input_nc, 256, 256]}
   * @return {@code [B, 3, S, S]} (256 with {@link OutputSize#POOLED}), unclamped
   */
  public TensorData forward(TensorData input, Noise noise, OutputSize size) {
    return generator.synthesize(encoder.encode(input), noise, size);
  }

  /** Frees the engine's memory for this model. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      engineModel.close();
    }
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("this PspModel (" + source + ") is closed");
    }
  }

  @Override
  public String toString() {
    return "PspModel[" + config.task() + ", " + config.encoderType().officialName() + ", input_nc="
        + config.inputNc() + ", " + config.outputSize() + "px, engine=" + engineName + ", device=" + device + "]";
  }

  /** Per-layer noise [B,1,r,r] for layer i of num_layers = n_styles − 1, drawn in layer, sample, pixel order. */
  static List<TensorData> seededNoise(long seed, int batch, int nStyles) {
    Random random = new Random(seed);
    List<TensorData> out = new ArrayList<>();
    for (int i = 0; i < nStyles - 1; i++) {
      int r = 1 << ((i + 5) / 2);
      out.add(TensorData.ofFloats(Gaussian.sample(random, batch * r * r), batch, 1, r, r));
    }
    return out;
  }

  private final class PspEncoder implements Encoder {
    @Override
    public LatentCode encode(TensorData input) {
      ensureOpen();
      long[] s = input.shape();
      if (s.length != 4 || s[1] != config.inputNc() || s[2] != dev.psp.Encoder.INPUT_SIZE || s[3] != dev.psp.Encoder.INPUT_SIZE) {
        throw new IllegalArgumentException("encoder input must be [B, " + config.inputNc() + ", 256, 256], got "
            + Arrays.toString(s) + (s.length == 4 && s[1] != config.inputNc()
                ? "; this " + config.task() + " model takes " + config.inputNc() + " channel(s)" : "")
            + (s.length == 4 && (s[2] != 256 || s[3] != 256)
                ? "; the official encoders only work at 256x256: use encode(BufferedImage) or Preprocessing" : ""));
      }
      if (s[0] < 1) {
        throw new IllegalArgumentException("encoder input batch must be >= 1");
      }
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
      return Preprocessing.toTensor(images, config.task().inputKind(), config.inputNc());
    }

    @Override
    public int inputNc() {
      return config.inputNc();
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
      List<TensorData> n = noise.isFixed() ? null
          : seededNoise(noise.seed().getAsLong(), codes.batchSize(), config.nStyles());
      return engineModel.decode(codes.toTensor(), n, size);
    }

    @Override
    public LatentCode mapping(TensorData z) {
      ensureOpen();
      if (z.rank() != 2) {
        throw new IllegalArgumentException("z must be [B, dim], got " + Arrays.toString(z.shape()));
      }
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
