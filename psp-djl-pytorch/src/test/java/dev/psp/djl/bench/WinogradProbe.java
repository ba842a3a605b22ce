package dev.psp.djl.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.util.Locale;

/**
 * Measures whether Winograd convolution F(4×4, 3×3) (Lavin and Gray 2016) would make the 3×3
 * stride-1 layers of pSp faster on libtorch's eager CPU kernels (a main(), not a test).
 *
 * <p>F(4×4, 3×3) needs 36 multiplications per 4×4 output tile and channel pair where the direct
 * convolution needs 144: 4× fewer. Here it is written with libtorch ops: the input is cut into
 * overlapping 6×6 tiles (stride 4) and transformed with {@code Bᵀ⊗Bᵀ} (one matmul), the 36 tile
 * positions multiply as 36 independent GEMMs {@code [tiles, I] × [I, O]} against the transformed
 * weights {@code G g Gᵀ} (computed once, as for fixed weights), and {@code Aᵀ⊗Aᵀ} maps them back.
 * For each layer shape of the 1024-px model it prints the direct time (oneDNN), the Winograd time,
 * their ratio and the largest difference of the outputs, then the throughput of a large GEMM, the
 * machine's practical ceiling.
 *
 * <pre>
 *   java -cp ... dev.psp.djl.bench.WinogradProbe [iterations]
 * </pre>
 */
public final class WinogradProbe {
  private static final double[][] BT = {
      {4, 0, -5, 0, 1, 0}, {0, -4, -4, 1, 1, 0}, {0, 4, -4, -1, 1, 0},
      {0, -2, -1, 2, 1, 0}, {0, 2, -1, -2, 1, 0}, {0, 4, 0, -5, 0, 1}};
  private static final double[][] G = {
      {1 / 4.0, 0, 0}, {-1 / 6.0, -1 / 6.0, -1 / 6.0}, {-1 / 6.0, 1 / 6.0, -1 / 6.0},
      {1 / 24.0, 1 / 12.0, 1 / 6.0}, {1 / 24.0, -1 / 12.0, 1 / 6.0}, {0, 0, 1}};
  private static final double[][] AT = {
      {1, 1, 1, 1, 1, 0}, {0, 1, -1, 2, -2, 0}, {0, 1, 1, 4, 4, 0}, {0, 1, -1, 8, -8, 1}};

  /** (channels, map size) of the 3×3 stride-1 layers of the 1024-px encoder and generator. */
  private static final int[][] LAYERS = {
      {512, 16}, {512, 32}, {512, 64}, {256, 32}, {256, 128}, {128, 64}, {128, 256}, {64, 128},
      {64, 512}, {32, 1024}};

  private WinogradProbe() {}

  /** Row-major Kronecker product a ⊗ b. */
  static float[] kron(double[][] a, double[][] b) {
    int ar = a.length;
    int ac = a[0].length;
    int br = b.length;
    int bc = b[0].length;
    float[] k = new float[ar * br * ac * bc];
    for (int i = 0; i < ar; i++) {
      for (int j = 0; j < br; j++) {
        for (int p = 0; p < ac; p++) {
          for (int q = 0; q < bc; q++) {
            k[(i * br + j) * (ac * bc) + p * bc + q] = (float) (a[i][p] * b[j][q]);
          }
        }
      }
    }
    return k;
  }

  /** The transformed weights {@code [36, I, O]} of w {@code [O, I, 3, 3]}. */
  static NDArray transformWeights(NDManager m, NDArray w) {
    long o = w.getShape().get(0);
    long i = w.getShape().get(1);
    NDArray kg = m.create(kron(G, G), new Shape(36, 9));
    return kg.matMul(w.reshape(o * i, 9).transpose()).reshape(36, o, i).transpose(0, 2, 1);
  }

  /** {@code conv2d(x, w, padding 1)} for x {@code [B, I, H, W]}, given u = transformWeights(w). */
  static NDArray convolve(NDManager m, NDArray x, NDArray u) {
    long b = x.getShape().get(0);
    long c = x.getShape().get(1);
    long h = x.getShape().get(2);
    long w = x.getShape().get(3);
    long o = u.getShape().get(2);
    long th = (h + 3) / 4;
    long tw = (w + 3) / 4;
    // pad to (th+1)·4 rows and columns: tile t covers block t and the first two rows of block t+1
    NDArray xp = x.pad(new Shape(1, 4 * tw + 3 - w, 1, 4 * th + 3 - h), 0)
        .reshape(b, c, th + 1, 4, tw + 1, 4);
    NDArray rows = xp.get(":,:,0:" + th).concat(xp.get(":,:,1:,0:2"), 3);
    NDArray tiles = rows.get(":,:,:,:,0:" + tw).concat(rows.get(":,:,:,:,1:,0:2"), 5);
    long n = b * th * tw;
    NDArray d = tiles.transpose(3, 5, 0, 2, 4, 1).reshape(36, n * c);
    NDArray v = m.create(kron(BT, BT), new Shape(36, 36)).matMul(d).reshape(36, n, c);
    NDArray prod = v.matMul(u).reshape(36, n * o);
    NDArray y = m.create(kron(AT, AT), new Shape(16, 36)).matMul(prod)
        .reshape(4, 4, b, th, tw, o).transpose(2, 5, 3, 0, 4, 1).reshape(b, o, 4 * th, 4 * tw);
    return 4 * th == h && 4 * tw == w ? y : y.get(":,:,0:" + h + ",0:" + w);
  }

  private static NDArray direct(NDArray x, NDArray w) {
    return Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), 1)
        .singletonOrThrow();
  }

  private static double seconds(NDManager root, int iterations, java.util.function.Consumer<NDManager> work) {
    return DecoderBench.time(iterations, () -> {
      try (NDManager call = root.newSubManager()) {
        work.accept(call);
      }
    })[0];
  }

  /** Entry point; the optional argument is the number of timed runs per variant (default 3). */
  public static void main(String[] args) {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    try (NDManager root = Engine.getEngine("PyTorch").newBaseManager()) {
      root.getEngine().setRandomSeed(1);
      System.out.println("layer            direct s   GMAC/s  winograd s  speedup  max|diff|  max|y|");
      for (int[] layer : LAYERS) {
        int c = layer[0];
        int h = layer[1];
        try (NDManager m = root.newSubManager()) {
          NDArray x = m.randomNormal(new Shape(1, c, h, h));
          NDArray w = m.randomNormal(0, (float) (1 / Math.sqrt(9.0 * c)), new Shape(c, c, 3, 3),
              DataType.FLOAT32);
          NDArray u = transformWeights(m, w);
          NDArray ref = direct(x, w);
          double diff = ref.sub(convolve(m, x, u)).abs().max().getFloat();
          double big = ref.abs().max().getFloat();
          double td = seconds(m, iterations, call -> direct(x, w).attach(call));
          double tw = seconds(m, iterations, call -> convolve(call, x, u));
          double macs = (double) c * c * 9 * h * h;
          System.out.printf(Locale.ROOT, "%4d ch %4d px  %8.4f  %7.1f  %10.4f  %7.2f  %9.2e  %6.2f%n",
              c, h, td, macs / td / 1e9, tw, td / tw, diff, big);
        }
      }
      try (NDManager m = root.newSubManager()) {
        NDArray a = m.randomNormal(new Shape(2048, 2048));
        NDArray b = m.randomNormal(new Shape(2048, 2048));
        double t = seconds(m, iterations, call -> a.matMul(b).attach(call));
        System.out.printf(Locale.ROOT, "GEMM 2048^3: %.4f s, %.1f GMAC/s%n", t, Math.pow(2048, 3) / t / 1e9);
      }
    }
  }
}
