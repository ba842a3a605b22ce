package dev.psp.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every convolution configuration the networks run, at every input-channel count from 1 to 64,
 * against a float64 reference computed here: written once, run by each engine module through the
 * engine's own {@code TensorOps.conv2d} (a subclass computes the outputs).
 *
 * <p>Why: oneDNN 3.7 in libtorch 2.7.1 was measured to return wrong convolutions, silently and with
 * values that change from run to run, for 17 and 19 input channels on an AVX-512 machine, where it
 * pads the channels of its blocked layouts with memory it does not initialise (docs/parity.md). A
 * machine that never shows such a bug must still prove the engine avoids it, so the sweep covers
 * every count, including the ones a fix pads, and engines poison freed memory before each call
 * where they can. {@code ConvolutionConfigsTest} checks that the networks run no configuration
 * missing from {@link #CONFIGS}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConvolutionSweepTest {
  /** The largest input-channel count swept. */
  public static final int MAX_CHANNELS = 64;
  /** Allowed |engine − float64| on outputs of magnitude about 1 (float32 rounding is about 1e-6). */
  public static final double TOLERANCE = 1e-4;

  /**
   * One convolution configuration: a {@code kh×kw} kernel, stride, symmetric padding, output
   * channels and square input size. {@code perChannel} is the FIR-filter form of Blur and Upsample:
   * x {@code [C,1,H,W]} (the channels as the batch) with weight {@code [out,1,kh,kw]} and no bias;
   * otherwise x is {@code [2,C,H,W]} with weight {@code [out,C,kh,kw]} and a bias.
   */
  public record Config(String name, int kh, int kw, int stride, int padding, int outChannels, int size,
      boolean perChannel) {
    /** The key the network tracer reports for a convolution: kernel, stride and padding. */
    public String shapeKey() {
      return shapeKey(kh, kw, stride, padding, perChannel);
    }

    /** The shape key of a traced convolution. */
    public static String shapeKey(long kh, long kw, int stride, int padding, boolean perChannel) {
      return kh + "x" + kw + " s" + stride + " p" + padding + (perChannel ? " per-channel" : "");
    }

    int outSize(int dim, int k) {
      return (dim + 2 * padding - k) / stride + 1;
    }
  }

  /** One convolution to compute: the config, its channel count and its random operands. */
  public record Case(Config config, int channels, float[] x, long[] xShape, float[] weight, long[] weightShape,
      float[] bias) {}

  /** The configurations: those the pSp networks run (traced), then those of the loss networks and GAN. */
  public static final List<Config> CONFIGS = List.of(
      // pSp encoder (IR-SE-50 body, FPN, map2style heads, W and W+ heads) and StyleGAN2 decoder
      new Config("3x3 stride 1", 3, 3, 1, 1, 64, 10, false),
      new Config("3x3 stride 2", 3, 3, 2, 1, 64, 10, false),
      new Config("1x1 (lateral, squeeze-excitation)", 1, 1, 1, 0, 64, 10, false),
      new Config("1x1 to 3 channels over 64x64 (ToRGB)", 1, 1, 1, 0, 3, 64, false),
      new Config("1x1 stride 2 (shortcut)", 1, 1, 2, 0, 64, 10, false),
      new Config("polyphase 2x2", 2, 2, 1, 1, 64, 10, false),
      new Config("polyphase 2x1", 2, 1, 1, 1, 64, 10, false),
      new Config("polyphase 1x2", 1, 2, 1, 1, 64, 10, false),
      new Config("polyphase 1x1", 1, 1, 1, 1, 64, 10, false),
      new Config("blur 4x4", 4, 4, 1, 1, 1, 10, true),
      new Config("upsample FIR, 4 phases", 3, 3, 1, 1, 4, 10, true),
      // loss networks (AlexNet and VGG of LPIPS, ResNet-50 of MoCo, the LPIPS heads) and the discriminator
      new Config("11x11 stride 4 (AlexNet)", 11, 11, 4, 2, 16, 23, false),
      new Config("5x5 (AlexNet)", 5, 5, 1, 2, 16, 10, false),
      new Config("7x7 stride 2 (ResNet-50)", 7, 7, 2, 3, 16, 14, false),
      new Config("1x1 to 1 channel (LPIPS head)", 1, 1, 1, 0, 1, 10, false),
      new Config("3x3 stride 2 unpadded (discriminator)", 3, 3, 2, 0, 16, 11, false));

  private final List<String> report = new ArrayList<>();

  /** The engine's name, for the report. */
  protected abstract String engineName();

  /**
   * Computes {@code conv2d(x, weight, bias, stride, padding)} for every case through the engine's
   * tensor operations, in order.
   */
  protected abstract List<float[]> convolve(List<Case> cases) throws Exception;

  static List<Config> configs() {
    return CONFIGS;
  }

  /** The cases of one configuration: input channels 1..64, seeded by configuration and count. */
  public static List<Case> cases(Config c) {
    List<Case> out = new ArrayList<>();
    for (int ch = 1; ch <= MAX_CHANNELS; ch++) {
      Random r = new Random(31L * c.name().hashCode() + ch);
      long[] xs = c.perChannel() ? new long[] {ch, 1, c.size(), c.size()} : new long[] {2, ch, c.size(), c.size()};
      int inPerOut = c.perChannel() ? 1 : ch;
      long[] ws = {c.outChannels(), inPerOut, c.kh(), c.kw()};
      float[] x = gaussian(r, (int) (xs[0] * xs[1] * xs[2] * xs[3]), 1);
      float[] w = gaussian(r, (int) (ws[0] * ws[1] * ws[2] * ws[3]), 1 / Math.sqrt(inPerOut * c.kh() * c.kw()));
      float[] b = c.perChannel() ? null : gaussian(r, c.outChannels(), 0.1);
      out.add(new Case(c, ch, x, xs, w, ws, b));
    }
    return out;
  }

  private static float[] gaussian(Random r, int n, double scale) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextGaussian() * scale);
    }
    return v;
  }

  /** PyTorch's conv2d (cross-correlation, zero padding, one group) in float64. */
  public static double[] reference(Case k) {
    Config c = k.config();
    int n = (int) k.xShape()[0];
    int ch = (int) k.xShape()[1];
    int h = (int) k.xShape()[2];
    int w = (int) k.xShape()[3];
    int o = (int) k.weightShape()[0];
    int oh = c.outSize(h, c.kh());
    int ow = c.outSize(w, c.kw());
    double[] y = new double[n * o * oh * ow];
    for (int b = 0; b < n; b++) {
      for (int q = 0; q < o; q++) {
        for (int i = 0; i < oh; i++) {
          for (int j = 0; j < ow; j++) {
            double acc = k.bias() == null ? 0 : k.bias()[q];
            for (int ci = 0; ci < ch; ci++) {
              for (int u = 0; u < c.kh(); u++) {
                int yy = i * c.stride() - c.padding() + u;
                if (yy < 0 || yy >= h) {
                  continue;
                }
                for (int v = 0; v < c.kw(); v++) {
                  int xx = j * c.stride() - c.padding() + v;
                  if (xx < 0 || xx >= w) {
                    continue;
                  }
                  acc += (double) k.x()[((b * ch + ci) * h + yy) * w + xx]
                      * k.weight()[((q * ch + ci) * c.kh() + u) * c.kw() + v];
                }
              }
            }
            y[((b * o + q) * oh + i) * ow + j] = acc;
          }
        }
      }
    }
    return y;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void everyInputChannelCountMatchesFloat64(Config config) throws Exception {
    List<Case> cases = cases(config);
    List<float[]> got = convolve(cases);
    assertThat(got).hasSize(cases.size());
    double worst = 0;
    int worstChannels = 0;
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      double[] ref = reference(cases.get(i));
      float[] y = got.get(i);
      assertThat(y).as("output size for %d channels", cases.get(i).channels()).hasSize(ref.length);
      double err = 0;
      for (int j = 0; j < ref.length; j++) {
        double d = Math.abs(y[j] - ref[j]);
        err = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(err, d);
      }
      if (err > worst) {
        worst = err;
        worstChannels = cases.get(i).channels();
      }
      if (!(err <= TOLERANCE)) {
        failures.add(cases.get(i).channels() + " channels: " + String.format(Locale.ROOT, "%.3g", err));
      }
    }
    String line = String.format(Locale.ROOT, "%-8s %-40s max |conv - float64| %.3g (at %d channels)",
        engineName(), config.name(), worst, worstChannels);
    report.add(line);
    assertThat(failures).as("%s: input-channel counts whose convolution differs from float64 by more than %s",
        config.name(), TOLERANCE).isEmpty();
  }

  @AfterAll
  void printReport() {
    System.out.println("\nconvolution sweep, input channels 1.." + MAX_CHANNELS + ":\n" + String.join("\n", report));
  }
}
