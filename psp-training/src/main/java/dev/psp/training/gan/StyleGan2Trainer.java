package dev.psp.training.gan;

import dev.psp.training.data.ImageSource;
import dev.psp.training.TrainingListener;
import dev.psp.djl.PyTorchEngine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.psp.djl.DjlTensorOps;
import dev.psp.io.TensorData;
import dev.psp.nn.RandomWeights;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.stylegan2.Generator;
import dev.psp.training.optim.Adam;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * StyleGAN2 training (Karras et al. 2020) as rosinality's train.py does it, on DJL's PyTorch
 * engine: per step a discriminator step on the logistic loss, every {@code d_reg_every} steps a
 * lazy {@link R1Penalty} step weighted {@code r1/2 · d_reg_every}, a generator step on the
 * non-saturating loss with {@link MixingNoise} and fresh per-sample noise maps, then the {@link
 * Ema} update of {@code g_ema}. Adam with β1 = 0 and the lazy-regularisation ratios of {@link
 * StyleGan2Options}. Path-length regularisation and augmentation are not implemented.
 *
 * <p>Deterministic: every random draw of step i (data indices, latents, mixing, noise) comes from
 * a generator seeded by {@code (seed, i)}, so equal options give equal runs and a run resumed from
 * a {@link StyleGan2Checkpoint} continues exactly as the uninterrupted one. Real images are drawn
 * uniformly with replacement. Per-step temporaries live in a manager closed at the end of the
 * step.
 *
 * <p>Owns native memory: close it. Not thread-safe.
 */
public final class StyleGan2Trainer implements AutoCloseable {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final long LATENT_AVG_STREAM = 0x4C41544E54415647L;
  private static final double ADAM_EPS = 1e-8;

  private final StyleGan2Config config;
  private final StyleGan2Options options;
  private final Generator generator;
  private final Discriminator discriminator;
  private final List<String> gTrainable;
  private final List<String> dTrainable;
  private final NDManager root;
  private final Map<String, NDArray> g;
  private final Map<String, NDArray> d;
  private final Map<String, NDArray> gEma;
  private final Adam gOptim;
  private final Adam dOptim;
  private long step;
  private boolean closed;

  private StyleGan2Trainer(StyleGan2Config config, StyleGan2Options options, long step,
      Map<String, TensorData> g, Map<String, TensorData> d, Map<String, TensorData> gEma) {
    this.config = config;
    this.options = options;
    this.step = step;
    this.generator = config.generator();
    this.discriminator = config.discriminator();
    this.gTrainable = StyleGan2Checkpoint.parameterKeys(generator.stateDictSpec());
    this.dTrainable = StyleGan2Checkpoint.parameterKeys(discriminator.stateDictSpec());
    this.root = PyTorchEngine.djl().newBaseManager();
    this.g = DjlTensorOps.toNDArrays(root, g);
    this.d = DjlTensorOps.toNDArrays(root, d);
    this.gEma = DjlTensorOps.toNDArrays(root, gEma);
    requireGrad(this.g, gTrainable, true);
    requireGrad(this.d, dTrainable, true);
    this.gOptim = new Adam(subset(this.g, gTrainable), options.generatorLr(), 0,
        options.generatorBeta2(), ADAM_EPS);
    this.dOptim = new Adam(subset(this.d, dTrainable), options.discriminatorLr(), 0,
        options.discriminatorBeta2(), ADAM_EPS);
  }

  /**
   * A trainer from fresh weights drawn with the official initialisations ({@link RandomWeights},
   * seeded by {@code options.seed()}); {@code g_ema} starts as a copy of {@code g}.
   */
  public static StyleGan2Trainer create(StyleGan2Config config, StyleGan2Options options) {
    SplittableRandom seeds = new SplittableRandom(options.seed());
    Map<String, TensorData> g = RandomWeights.of(config.generator().stateDictSpec(), seeds.nextLong());
    Map<String, TensorData> d = RandomWeights.of(config.discriminator().stateDictSpec(),
        seeds.nextLong());
    return new StyleGan2Trainer(config, options, 0, g, d, g);
  }

  /** A trainer continuing from a checkpoint with its recorded options. */
  public static StyleGan2Trainer resume(StyleGan2Checkpoint checkpoint) {
    StyleGan2Trainer t = new StyleGan2Trainer(checkpoint.config(), checkpoint.options(),
        checkpoint.step(), checkpoint.g(), checkpoint.d(), checkpoint.gEma());
    try {
      if (checkpoint.gOptim() != null) {
        t.gOptim.loadState(checkpoint.gOptim().state());
      }
      if (checkpoint.dOptim() != null) {
        t.dOptim.loadState(checkpoint.dOptim().state());
      }
      return t;
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
  }

  /**
   * Trains on {@code data} until step {@code lastStep} has run (steps {@link #steps()} ..
   * {@code lastStep}), reporting each step to {@code listener} ({@link TrainingListener}, as {@link
   * dev.psp.training.PspTrainer} does) with the losses {@code d_loss}, {@code g_loss}, {@code r1}
   * (absent on steps without it), {@code real_score} and {@code fake_score}; returns the steps' statistics.
   */
  public List<StepStats> train(ImageSource data, long lastStep, TrainingListener listener) {
    List<StepStats> out = new ArrayList<>();
    long t0 = System.nanoTime();
    long first = steps();
    while (steps() <= lastStep) {
      StepStats s = step(data);
      out.add(s);
      Map<String, Double> losses = new LinkedHashMap<>();
      losses.put("d_loss", s.dLoss());
      losses.put("g_loss", s.gLoss());
      if (!Double.isNaN(s.r1())) {
        losses.put("r1", s.r1());
      }
      losses.put("real_score", s.realScore());
      losses.put("fake_score", s.fakeScore());
      double perStep = (System.nanoTime() - t0) / 1e9 / (s.step() - first + 1);
      listener.onStep(s.step(), lastStep, losses, perStep);
    }
    return out;
  }

  /** One training step (see the class description). */
  public StepStats step(ImageSource data) {
    checkOpen();
    if (data.resolution() != config.size()) {
      throw new IllegalArgumentException("images are " + data.resolution() + " px, the networks "
          + config.size() + " px");
    }
    long start = System.nanoTime();
    SplittableRandom rng = new SplittableRandom(new SplittableRandom(options.seed() + step * GOLDEN)
        .nextLong());
    int b = options.batch();
    int s = config.size();
    float[] realHost = realBatch(data, rng);
    double dLoss;
    double realScore;
    double fakeScore;
    double r1 = Double.NaN;
    double gLoss;
    try (NDManager call = root.newSubManager()) {
      NDArray real = call.create(realHost, new Shape(b, 3, s, s));

      // discriminator: logistic loss on a generated batch (no generator graph) and the real batch
      requireGrad(g, gTrainable, false);
      NDArray fake = synthesize(call, g, rng);
      try (GradientCollector gc = collector()) {
        DjlTensorOps ops = new DjlTensorOps(call, d);
        NDArray fakePred = discriminator.forward(ops, fake);
        NDArray realPred = discriminator.forward(ops, real);
        NDArray loss = GanLosses.discriminator(realPred, fakePred);
        gc.backward(loss);
        dLoss = loss.getFloat();
        realScore = mean(realPred);
        fakeScore = mean(fakePred);
      }
      dOptim.step();
      if (step % options.dRegEvery() == 0) {
        r1 = R1Penalty.accumulate(discriminator, d, real,
            options.r1() / 2 * options.dRegEvery());
        dOptim.step();
      }

      // generator: non-saturating loss through a frozen discriminator
      requireGrad(g, gTrainable, true);
      requireGrad(d, dTrainable, false);
      try (GradientCollector gc = collector()) {
        NDArray fakePred = discriminator.forward(new DjlTensorOps(call, d), synthesize(call, g, rng));
        NDArray loss = GanLosses.generator(fakePred);
        gc.backward(loss);
        gLoss = loss.getFloat();
      } finally {
        requireGrad(d, dTrainable, true);
      }
      gOptim.step();
      Ema.accumulate(gEma, g, gTrainable, options.emaDecay());
    }
    return new StepStats(step++, dLoss, gLoss, r1, realScore, fakeScore,
        (System.nanoTime() - start) / 1e6);
  }

  /** A batch of real images drawn uniformly with replacement, {@code [B,3,S,S]} flattened. */
  private float[] realBatch(ImageSource data, SplittableRandom rng) {
    int n = 3 * config.size() * config.size();
    float[] out = new float[options.batch() * n];
    for (int i = 0; i < options.batch(); i++) {
      int index = rng.nextInt(data.count());
      float[] img = data.image(index);
      if (img.length != n) {
        throw new IllegalArgumentException("image " + index + " has " + img.length
            + " values, expected 3x" + config.size() + "x" + config.size());
      }
      System.arraycopy(img, 0, out, i * n, n);
    }
    return out;
  }

  /** Images from mixed latents and fresh per-sample noise, computed with {@code weights}. */
  private NDArray synthesize(NDManager call, Map<String, NDArray> weights, SplittableRandom rng) {
    int b = options.batch();
    int dim = config.styleDim();
    MixingNoise.Latents latents = MixingNoise.sample(rng, b, dim, generator.nLatent(),
        options.mixing());
    DjlTensorOps ops = new DjlTensorOps(call, weights);
    NDArray w1 = generator.mapping(ops, call.create(latents.z1(), new Shape(b, dim)));
    NDArray w2 = latents.mixing()
        ? generator.mapping(ops, call.create(latents.z2(), new Shape(b, dim))) : null;
    NDArray codes = MixingNoise.codes(ops, generator, w1, w2, latents.injectIndex());
    List<NDArray> noises = new ArrayList<>();
    for (int i = 0; i < generator.numLayers(); i++) {
      long r = generator.noiseShape(i)[2];
      noises.add(call.create(MixingNoise.gaussian(rng, (int) (b * r * r)), new Shape(b, 1, r, r)));
    }
    return generator.forward(ops, codes, noises);
  }

  /**
   * Images {@code [n,3,S,S]} (flattened) for latents z {@code [n,style_dim]} from {@code g_ema}
   * (or {@code g}), with the stored noise buffers and no mixing; no gradients.
   */
  public float[] generate(float[] z, int n, boolean ema) {
    checkOpen();
    return DjlTensorOps.withoutGrad(() -> {
      try (NDManager call = root.newSubManager()) {
        DjlTensorOps ops = new DjlTensorOps(call, ema ? gEma : g);
        NDArray w = generator.mapping(ops, call.create(z, new Shape(n, config.styleDim())));
        return generator.forward(ops, w, generator.storedNoises(ops)).toFloatArray();
      }
    });
  }

  /** The discriminator's logits {@code [n]} for images {@code [n,3,S,S]}; no gradients. */
  public float[] discriminate(float[] images, int n) {
    checkOpen();
    return DjlTensorOps.withoutGrad(() -> {
      try (NDManager call = root.newSubManager()) {
        DjlTensorOps ops = new DjlTensorOps(call, d);
        int s = config.size();
        return discriminator.forward(ops, call.create(images, new Shape(n, 3, s, s))).toFloatArray();
      }
    });
  }

  /**
   * The mean of {@code g_ema.style(z)} over {@code options.latentAvgSamples()} standard normal z
   * (a fixed stream of the seed): the {@code latent_avg} pSp starts its codes from.
   */
  public float[] latentAvg() {
    checkOpen();
    int dim = config.styleDim();
    SplittableRandom rng = new SplittableRandom(options.seed() ^ LATENT_AVG_STREAM);
    double[] sum = new double[dim];
    int left = options.latentAvgSamples();
    while (left > 0) {
      int n = Math.min(left, 1024);
      try (NDManager call = root.newSubManager()) {
        DjlTensorOps ops = new DjlTensorOps(call, gEma);
        NDArray z = call.create(MixingNoise.gaussian(rng, n * dim), new Shape(n, dim));
        float[] w = DjlTensorOps.withoutGrad(() -> generator.mapping(ops, z).toFloatArray());
        for (int i = 0; i < w.length; i++) {
          sum[i % dim] += w[i];
        }
      }
      left -= n;
    }
    float[] avg = new float[dim];
    for (int i = 0; i < dim; i++) {
      avg[i] = (float) (sum[i] / options.latentAvgSamples());
    }
    return avg;
  }

  /** A snapshot of the whole training state, with {@link #latentAvg()}. */
  public StyleGan2Checkpoint checkpoint() {
    checkOpen();
    return new StyleGan2Checkpoint(config, options, step,
        host(g, generator.stateDictSpec()), host(d, discriminator.stateDictSpec()),
        host(gEma, generator.stateDictSpec()),
        new AdamSnapshot(gOptim.state(), options.generatorLr(), 0, options.generatorBeta2(), ADAM_EPS),
        new AdamSnapshot(dOptim.state(), options.discriminatorLr(), 0, options.discriminatorBeta2(),
            ADAM_EPS),
        TensorData.ofFloats(latentAvg(), config.styleDim()));
  }

  /** Writes {@link #checkpoint()} to {@code file}. */
  public void save(Path file) throws IOException {
    checkpoint().write(file);
  }

  /** The number of completed steps. */
  public long steps() {
    return step;
  }

  /** The network shape. */
  public StyleGan2Config config() {
    return config;
  }

  /** The training options. */
  public StyleGan2Options options() {
    return options;
  }

  /** Releases every native array. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    gOptim.close();
    dOptim.close();
    root.close();
  }

  /** The number of native arrays this trainer holds (weights, optimizer state, leftovers). */
  int liveArrays() {
    return root.getManagedArrays().size();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this trainer is closed");
    }
  }

  private static GradientCollector collector() {
    return PyTorchEngine.djl().newGradientCollector();
  }

  private static double mean(NDArray a) {
    double s = 0;
    float[] v = a.toFloatArray();
    for (float x : v) {
      s += x;
    }
    return s / v.length;
  }

  private static void requireGrad(Map<String, NDArray> weights, List<String> keys, boolean on) {
    for (String k : keys) {
      weights.get(k).setRequiresGradient(on);
    }
  }

  private static Map<String, NDArray> subset(Map<String, NDArray> weights, List<String> keys) {
    Map<String, NDArray> m = new LinkedHashMap<>();
    keys.forEach(k -> m.put(k, weights.get(k)));
    return m;
  }

  private static Map<String, TensorData> host(Map<String, NDArray> weights, StateDictSpec spec) {
    Map<String, TensorData> m = new LinkedHashMap<>();
    for (StateDictSpec.Entry e : spec.entries()) {
      m.put(e.key(), DjlTensorOps.toTensorData(weights.get(e.key())));
    }
    return m;
  }

  @Override
  public String toString() {
    return "StyleGan2Trainer[" + config + ", step " + step + ", " + options + "]";
  }
}
