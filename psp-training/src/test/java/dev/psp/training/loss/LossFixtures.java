package dev.psp.training.loss;

import dev.psp.djl.PyTorchEngine;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.psp.djl.DjlTensorOps;
import dev.psp.io.CheckpointReader;
import dev.psp.io.Checkpoint;
import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The reference files written by {@code src/test/python/make_loss_references.py} from the official
 * pSp loss code (test resources under {@code loss/}), and the comparisons the loss tests make.
 */
final class LossFixtures {
  /** Relative tolerance of loss values. */
  static final double VALUE_RTOL = 1e-5;
  /** Absolute tolerance of cosine similarities and their differences. */
  static final double SIMILARITY_ATOL = 1e-6;
  /**
   * Tolerance of gradients, relative to the largest reference gradient element. The 13-layer VGG of
   * LPIPS differs from the official float32 gradient by 1.1e-4 of its largest element on an AMD Zen 1
   * (AVX2) and 2.7e-4 on a Zen 4 (AVX-512), where libtorch's kernels sum in another order; a wrong
   * gradient is off by the order of the gradient itself.
   */
  static final double GRAD_RTOL = 5e-4;

  private static Map<String, String> expected;

  private LossFixtures() {}

  static Path path(String name) {
    try {
      var url = LossFixtures.class.getResource("/loss/" + name);
      if (url == null) {
        throw new IllegalStateException("missing test resource loss/" + name
            + "; run src/test/python/make_loss_references.py");
      }
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static TensorData npy(String name) {
    try {
      return Npy.read(path(name + ".npy"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, TensorData> stateDict(String file) throws Exception {
    try (Checkpoint c = CheckpointReader.read(path(file))) {
      return c.stateDict();
    }
  }

  static double expected(String key) {
    String v = expectedValues().get(key);
    if (v == null) {
      throw new IllegalArgumentException("no expected value " + key);
    }
    return Double.parseDouble(v);
  }

  /** The keys under {@code prefix + "."}, prefix removed, in file order (the official dict order). */
  static List<String> expectedKeys(String prefix) {
    return expectedValues().keySet().stream().filter(k -> k.startsWith(prefix + "."))
        .map(k -> k.substring(prefix.length() + 1)).toList();
  }

  private static synchronized Map<String, String> expectedValues() {
    if (expected == null) {
      Map<String, String> m = new LinkedHashMap<>();
      try {
        for (String line : Files.readAllLines(path("expected.properties"))) {
          int eq = line.indexOf('=');
          if (!line.startsWith("#") && eq > 0) {
            m.put(line.substring(0, eq), line.substring(eq + 1));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      expected = m;
    }
    return expected;
  }

  static NDManager manager() {
    return PyTorchEngine.djl().newBaseManager();
  }

  /** The 256×256 image of a stored 32×32 base, upsampled ×8 (nearest), as the reference script does. */
  static NDArray up8(DjlTensorOps ops, NDArray base) {
    return NearestResize.resize(ops, base, 256, 256);
  }

  /** Asserts |actual − expected| ≤ VALUE_RTOL·|expected| and prints the difference. */
  static void assertValue(String what, double actual, String key) {
    double want = expected(key);
    assertThat(report(what, actual, want)).as(what).isLessThanOrEqualTo(VALUE_RTOL * Math.abs(want));
  }

  /**
   * Asserts |actual − expected| ≤ SIMILARITY_ATOL for a cosine similarity or a difference of them
   * (sim_improvement): such values are at most 1 in size and carry float32 rounding of about 1e-7
   * absolute, so a relative bound would not fit the ones near 0.
   */
  static void assertSimilarity(String what, double actual, String key) {
    assertThat(report(what, actual, expected(key))).as(what).isLessThanOrEqualTo(SIMILARITY_ATOL);
  }

  private static double report(String what, double actual, double want) {
    double diff = Math.abs(actual - want);
    System.out.printf("%s: java %.9g, official %.9g, |diff| %.3g (rel %.3g)%n", what, actual, want, diff,
        diff / Math.abs(want));
    return diff;
  }

  /** Asserts max|actual − reference| ≤ GRAD_RTOL·max|reference| and prints both. */
  static void assertGradient(String what, float[] actual, String referenceNpy) {
    float[] ref = npy(referenceNpy).toFloatArray();
    assertThat(actual).as(what).hasSameSizeAs(ref);
    double worst = 0;
    double largest = 0;
    for (int i = 0; i < ref.length; i++) {
      worst = Math.max(worst, Math.abs((double) actual[i] - ref[i]));
      largest = Math.max(largest, Math.abs(ref[i]));
    }
    System.out.printf("%s: max |grad diff| %.3g, max |grad| %.3g (rel %.3g)%n", what, worst, largest,
        worst / largest);
    assertThat(largest).as(what + " reference gradient").isGreaterThan(0);
    assertThat(worst).as(what).isLessThanOrEqualTo(GRAD_RTOL * largest);
  }

  /**
   * Evaluates {@code loss(call, leaf)} under a gradient collector, for a fresh leaf array holding
   * {@code leafValue} that requires gradients; forces a GC before backward (see DjlTensorOps) and
   * returns the loss value and the leaf's gradient.
   */
  static Evaluated gradient(NDManager root, TensorData leafValue,
      BiFunction<NDManager, NDArray, NDArray> loss) {
    try (NDManager call = root.newSubManager();
        GradientCollector gc = PyTorchEngine.djl().newGradientCollector()) {
      NDArray leaf = DjlTensorOps.toNDArray(call, leafValue);
      leaf.setRequiresGradient(true);
      NDArray l = loss.apply(call, leaf);
      double value = l.getFloat();
      System.gc();
      gc.backward(l);
      return new Evaluated(value, leaf.getGradient().toFloatArray());
    }
  }

  /** A loss value and a gradient. */
  record Evaluated(double value, float[] gradient) {}
}
