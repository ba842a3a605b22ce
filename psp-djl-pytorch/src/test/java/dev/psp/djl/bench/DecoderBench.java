package dev.psp.djl.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.psp.djl.DjlTensorOps;
import dev.psp.nn.Layer;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.TensorOps;
import dev.psp.nn.encoder.GradualStyleEncoder;
import dev.psp.nn.stylegan2.Blur;
import dev.psp.nn.stylegan2.Generator;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Decoder micro-benchmarks on random weights (a main(), not a test).
 *
 * <pre>
 *   decode  [size] [iterations] [profile]   time Generator.forward at batch 1 (median, min)
 *   encode  [iterations] [profile]          time GradualStyleEncoder.forward (18 styles) at batch 1
 *   up      [reps] [sizes]                  upsampling-conv variants (UpsampleVariants) per resolution
 * </pre>
 *
 * Run with the module classes before the shaded jar on the class path, e.g. {@code java -cp
 * psp-api/target/classes:psp-djl-pytorch/target/classes:psp-djl-pytorch/target/test-classes:psp-examples/target/psp.jar
 * dev.psp.djl.bench.DecoderBench decode 1024 3 profile}.
 */
public final class DecoderBench {
  private DecoderBench() {}

  static Map<String, NDArray> randomParams(NDManager m, Layer layer, long seed) {
    Random rng = new Random(seed);
    Map<String, NDArray> p = new HashMap<>();
    for (StateDictSpec.Entry e : layer.stateDictSpec().entries()) {
      float[] v = e.init().sample(Math.toIntExact(e.numel()), rng);
      p.put(e.key(), m.create(v, new Shape(e.shape())));
    }
    return p;
  }

  static NDArray randn(NDManager m, Random rng, long... shape) {
    int n = Math.toIntExact(new Shape(shape).size());
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    return m.create(v, new Shape(shape));
  }

  /** Median and min of {@code iterations} timed calls after one warm-up call. */
  static double[] time(int iterations, Runnable r) {
    r.run();
    double[] s = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      r.run();
      s[i] = (System.nanoTime() - t0) / 1e9;
    }
    Arrays.sort(s);
    return new double[] {s[s.length / 2], s[0]};
  }

  public static void main(String[] args) {
    String mode = args.length > 0 ? args[0] : "decode";
    try (NDManager root = Engine.getEngine("PyTorch").newBaseManager()) {
      switch (mode) {
        case "decode":
          decode(root, args.length > 1 ? Integer.parseInt(args[1]) : 1024,
              args.length > 2 ? Integer.parseInt(args[2]) : 3,
              args.length > 3 && args[3].equals("profile"));
          break;
        case "encode":
          encode(root, args.length > 1 ? Integer.parseInt(args[1]) : 3,
              args.length > 2 && args[2].equals("profile"));
          break;
        case "up":
          up(root, args.length > 1 ? Integer.parseInt(args[1]) : 5,
              args.length > 2 ? args[2].split(",") : new String[] {"1024", "512", "256", "128", "64"});
          break;
        default:
          throw new IllegalArgumentException("unknown mode " + mode);
      }
    }
  }

  /** The reference: zero insertion, true 3×3 convolution (pad 2), Blur pad (1,1). */
  static <T> T reference(TensorOps<T> ops, T x, T w) {
    long[] s = ops.shape(x);
    long i = s[1];
    long h = s[2];
    long wd = s[3];
    long o = ops.shape(w)[0];
    T z = ops.reshape(x, 1, i, h, 1, wd, 1);
    T zeros = ops.constant(new float[Math.toIntExact(i * h * wd)], 1, i, h, 1, wd, 1);
    z = ops.concat(List.of(z, zeros), 5);
    z = ops.concat(List.of(z, ops.concat(List.of(zeros, zeros), 5)), 3);
    z = ops.reshape(z, 1, i, 2 * h, 2 * wd);
    float[] flip = new float[81];
    for (int k = 0; k < 9; k++) {
      flip[k * 9 + (8 - k)] = 1;
    }
    T wflip = ops.reshape(ops.matmul(ops.reshape(w, o * i, 9), ops.constant(flip, 9, 9)), o, i, 3, 3);
    T t = ops.conv2d(z, wflip, null, 1, 2); // [1,O,2H+2,2W+2], T zero-extended by one
    t = ops.slice(ops.slice(t, 2, 0, 2 * h + 1), 3, 0, 2 * wd + 1);
    return new Blur("", new double[] {1, 3, 3, 1}, 1, 1, 2).forward(ops, t);
  }

  static void up(NDManager root, int reps, String[] sizes) {
    for (String size : sizes) {
      int r = Integer.parseInt(size);
      Map<Integer, Integer> ch = Generator.channelTable(2);
      long i = ch.get(r / 2);
      long o = ch.get(r);
      long h = r / 2;
      Random rng = new Random(r);
      NDArray x = randn(root, rng, 1, i, h, h);
      NDArray w = randn(root, rng, o, i, 3, 3).div(30);
      NDArray w3 = randn(root, rng, 4 * o, i, 3, 3);
      Map<String, Function<TensorOps<NDArray>, NDArray>> variants = new LinkedHashMap<>();
      variants.put("cur36", ops -> {
        NDArray y = ops.conv2d(x, w3, null, 1, 1);
        y = ops.reshape(y, -1, 2, 2, o, h, h);
        return ops.reshape(ops.permute(y, 0, 3, 4, 1, 5, 2), -1, o, 2 * h, 2 * h);
      });
      variants.put("v1", ops -> UpsampleVariants.v1(ops, x, w, false));
      variants.put("v1sep", ops -> UpsampleVariants.v1(ops, x, w, true));
      variants.put("v3", ops -> UpsampleVariants.v3(ops, x, w));
      variants.put("v4", ops -> UpsampleVariants.v4(ops, x, w, false));
      try (NDManager call = root.newSubManager()) {
        DjlTensorOps ops = new DjlTensorOps(call, Map.of());
        float[] ref = reference(ops, x, w).toFloatArray();
        for (Map.Entry<String, Function<TensorOps<NDArray>, NDArray>> e : variants.entrySet()) {
          if (e.getKey().startsWith("cur")) {
            continue;
          }
          float[] got = e.getValue().apply(ops).toFloatArray();
          double worst = 0;
          double big = 0;
          for (int k = 0; k < ref.length; k++) {
            worst = Math.max(worst, Math.abs(got[k] - ref[k]));
            big = Math.max(big, Math.abs(ref[k]));
          }
          System.out.printf(Locale.ROOT, "  %d %-6s max diff %.3g (max |ref| %.3g)%n", r, e.getKey(),
              worst, big);
        }
      }
      Map<String, double[]> times = new LinkedHashMap<>();
      for (int rep = 0; rep <= reps; rep++) {
        for (Map.Entry<String, Function<TensorOps<NDArray>, NDArray>> e : variants.entrySet()) {
          try (NDManager call = root.newSubManager()) {
            DjlTensorOps ops = new DjlTensorOps(call, Map.of());
            long t0 = System.nanoTime();
            e.getValue().apply(ops);
            double dt = (System.nanoTime() - t0) / 1e9;
            if (rep > 0) {
              times.computeIfAbsent(e.getKey(), k -> new double[reps])[rep - 1] = dt;
            }
          }
        }
      }
      for (Map.Entry<String, double[]> e : times.entrySet()) {
        double[] t = e.getValue().clone();
        Arrays.sort(t);
        System.out.printf(Locale.ROOT, "%5d I=%d O=%d %-6s min %.4f s  median %.4f s%n", r, i, o,
            e.getKey(), t[0], t[t.length / 2]);
      }
      for (Map.Entry<String, Function<TensorOps<NDArray>, NDArray>> e : variants.entrySet()) {
        try (NDManager call = root.newSubManager()) {
          ProfilingOps p = new ProfilingOps(new DjlTensorOps(call, Map.of()));
          e.getValue().apply(p);
          System.out.println("  profile " + e.getKey() + ": " + p.report(6).replace("\n", "\n    "));
        }
      }
    }
  }

  static void encode(NDManager root, int iterations, boolean profile) {
    GradualStyleEncoder e = new GradualStyleEncoder("", 3, 18);
    Map<String, NDArray> params = randomParams(root, e, 3);
    NDArray x = randn(root, new Random(4), 1, 3, 256, 256);
    double[] t = time(iterations, () -> {
      try (NDManager call = root.newSubManager()) {
        e.forward(new DjlTensorOps(call, params), x).toFloatArray();
      }
    });
    System.out.printf(Locale.ROOT, "encode: median %.3f s, min %.3f s (n=%d)%n", t[0], t[1],
        iterations);
    if (profile) {
      try (NDManager call = root.newSubManager()) {
        ProfilingOps p = new ProfilingOps(new DjlTensorOps(call, params));
        e.forward(p, x).toFloatArray();
        System.out.println(p.report(Integer.getInteger("top", 40)));
      }
    }
  }

  static void decode(NDManager root, int size, int iterations, boolean profile) {
    Generator g = new Generator("", size, 512, 8, 2);
    Map<String, NDArray> params = randomParams(root, g, 1);
    NDArray codes = randn(root, new Random(2), 1, g.nLatent(), 512);
    Function<TensorOps<NDArray>, NDArray> run = ops -> g.forward(ops, codes, g.storedNoises(ops));
    double[] t = time(iterations, () -> {
      try (NDManager call = root.newSubManager()) {
        run.apply(new DjlTensorOps(call, params)).toFloatArray();
      }
    });
    System.out.printf(Locale.ROOT, "decode %d: median %.3f s, min %.3f s (n=%d)%n", size, t[0], t[1],
        iterations);
    if (profile) {
      try (NDManager call = root.newSubManager()) {
        ProfilingOps p = new ProfilingOps(new DjlTensorOps(call, params));
        run.apply(p).toFloatArray();
        System.out.println(p.report(Integer.getInteger("top", 40)));
      }
    }
  }

}
