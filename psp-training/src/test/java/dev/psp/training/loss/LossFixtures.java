package dev.psp.training.loss;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.psp.djl.DjlTensorOps;
import dev.psp.io.CheckpointReader;
import dev.psp.io.Checkpoint;
import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiFunction;

/**
 * The reference files written by {@code src/test/python/make_loss_references.py} from the official
 * pSp loss code (test resources under {@code loss/}), and the comparisons the loss tests make.
 */
final class LossFixtures {
  /** Relative tolerance of loss values. */
  static final double VALUE_RTOL = 1e-5;
  /** Tolerance of gradients, relative to the largest reference gradient element. */
  static final double GRAD_RTOL = 1e-4;

  private static Properties expected;

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

  static synchronized double expected(String key) {
    if (expected == null) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(path("expected.properties"))) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      expected = p;
    }
    String v = expected.getProperty(key);
    if (v == null) {
      throw new IllegalArgumentException("no expected value " + key);
    }
    return Double.parseDouble(v);
  }

  static NDManager manager() {
    return Engine.getEngine("PyTorch").newBaseManager();
  }

  /** The 256×256 image of a stored 32×32 base, upsampled ×8 (nearest), as the reference script does. */
  static NDArray up8(DjlTensorOps ops, NDArray base) {
    return NearestResize.resize(ops, base, 256, 256);
  }

  /** Asserts |actual − expected| ≤ VALUE_RTOL·|expected| and prints the difference. */
  static void assertValue(String what, double actual, String key) {
    assertValue(what, actual, key, VALUE_RTOL);
  }

  static void assertValue(String what, double actual, String key, double rtol) {
    double want = expected(key);
    double diff = Math.abs(actual - want);
    System.out.printf("%s: java %.9g, official %.9g, |diff| %.3g (rel %.3g)%n", what, actual, want, diff,
        diff / Math.abs(want));
    assertThat(diff).as(what).isLessThanOrEqualTo(rtol * Math.abs(want));
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
        GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
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
