package dev.psp.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.io.TensorData;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The measured differences of one parity case against the official outputs, as printed lines (quoted
 * in docs/parity.md) and a list of the checks that exceeded their limit.
 *
 * <p>The limits of docs/parity.md: images within {@link #IMAGE_ATOL} max abs difference, codes within
 * {@link #CODE_RTOL} relative to the largest magnitude of the reference. The float64 rule: the float32
 * noise floor of a case is the largest distance from the exact (float64) image of the official float32
 * output and of the official code run on inputs perturbed by one float32 rounding. Where it exceeds
 * {@link #IMAGE_ATOL}, the network is so ill-conditioned that float32 rounding alone explains
 * differences of that size: the engine must be no farther from float64 than {@link #NOISE_MARGIN}
 * times the noise floor (another library's kernels round in another order), and the image budget
 * against the official output becomes {@code (1 + NOISE_MARGIN)} times the noise floor. Not
 * thread-safe.
 */
public final class ParityReport {
  /** Max abs difference allowed on images. */
  public static final double IMAGE_ATOL = 1e-3;
  /** Max abs difference allowed on codes, relative to the largest magnitude of the reference. */
  public static final double CODE_RTOL = 1e-4;
  /** How far beyond the float32 noise floor an engine may land from float64 (see the class comment). */
  public static final double NOISE_MARGIN = 1.5;

  /** How the lines are laid out: the width of the label column and the digits of the numbers. */
  public enum Layout {
    /** One engine against the official outputs, one line per output: {@code %-18s}, {@code %.3e}. */
    DETAILED(18, 3),
    /** Several measurements per line: {@code %-14s}, {@code %.2e}. */
    COMPACT(14, 2);

    final int labelWidth;
    final int digits;

    Layout(int labelWidth, int digits) {
      this.labelWidth = labelWidth;
      this.digits = digits;
    }
  }

  private final String title;
  private final Layout layout;
  private final StringBuilder lines = new StringBuilder();
  private final List<String> failures = new ArrayList<>();
  private double imageBudget = IMAGE_ATOL;

  /** An empty report printed under {@code title + ":"}. */
  public ParityReport(String title, Layout layout) {
    this.title = title;
    this.layout = layout;
  }

  /** The limit for encoder-derived images: {@link #IMAGE_ATOL}, or more after {@link #float64}. */
  public double imageBudget() {
    return imageBudget;
  }

  /**
   * Applies the float64 rule to {@code image_full}: compares {@code got} (the engine named {@code who})
   * and the official float32 output with the exact result; where the noise floor (the official error,
   * or {@code float32Spread}, the official code's distance from float64 under one-ulp input
   * perturbations, if larger) exceeds {@link #IMAGE_ATOL}, records a failure if the engine is farther
   * from float64 than {@link #NOISE_MARGIN} times the noise floor and raises the image budget to
   * {@code (1 + NOISE_MARGIN)} times the noise floor.
   */
  public void float64(String who, TensorData got, TensorData official, TensorData exact, double float32Spread) {
    double gotErr = maxAbs(got, exact);
    double officialErr = maxAbs(official, exact);
    double noise = Math.max(officialErr, float32Spread);
    line(label() + " %s vs float64 " + number() + ", official float32 vs float64 " + number()
        + ", float32 noise floor " + number(), "float64 check", who, gotErr, officialErr, noise);
    if (noise > IMAGE_ATOL) {
      if (!(gotErr <= NOISE_MARGIN * noise)) {
        failures.add("float64");
      }
      imageBudget = (1 + NOISE_MARGIN) * noise;
      lines.append(String.format(Locale.ROOT, " -> image budget %.2e", imageBudget));
    }
  }

  /** Checks an image against the current {@link #imageBudget()}. */
  public void absolute(String what, TensorData got, TensorData want) {
    absolute(what, got, want, imageBudget);
  }

  /** Checks the max abs difference of {@code got} and {@code want} against {@code limit}. */
  public void absolute(String what, TensorData got, TensorData want, double limit) {
    double d = maxAbs(got, want);
    line(label() + " max abs diff " + number() + " (limit %.1e)", what, d, limit);
    check(what, d, limit);
  }

  /** Checks the max abs difference relative to the largest magnitude of {@code want} against {@code rtol}. */
  public void relative(String what, TensorData got, TensorData want, double rtol) {
    double d = maxAbs(got, want);
    double rel = d / maxMagnitude(want);
    line(label() + " max abs diff " + number() + ", relative to max |ref| " + number() + " (limit %.0e)", what, d,
        rel, rtol);
    check(what, rel, rtol);
  }

  /** Adds one indented line, formatted in {@link Locale#ROOT}. */
  public void line(String format, Object... args) {
    lines.append(String.format(Locale.ROOT, "%n  " + format, args));
  }

  /** Records {@code what} as failed unless {@code value <= limit} (so NaN fails). */
  public void check(String what, double value, double limit) {
    if (!(value <= limit)) {
      failures.add(what);
    }
  }

  /** The checks that failed, in order. */
  public List<String> failures() {
    return List.copyOf(failures);
  }

  /** Prints the report and fails, with the report as the message, if any check failed. */
  public void printAndAssertPassed() {
    System.out.println(this);
    assertThat(failures).as(toString()).isEmpty();
  }

  /** The max abs difference of two tensors of one shape; NaN if any difference is NaN. */
  public static double maxAbs(TensorData got, TensorData want) {
    assertThat(got.shape()).containsExactly(want.shape());
    return maxAbs(got.toFloatArray(), want.toFloatArray());
  }

  /** The max abs difference of two arrays of one length; NaN if any difference is NaN. */
  public static double maxAbs(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      double d = Math.abs(a[i] - b[i]);
      if (Double.isNaN(d)) {
        return Double.NaN;
      }
      m = Math.max(m, d);
    }
    return m;
  }

  /** The largest magnitude in a tensor. */
  public static double maxMagnitude(TensorData t) {
    double m = 0;
    for (float v : t.toFloatArray()) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  private String label() {
    return "%-" + layout.labelWidth + "s";
  }

  private String number() {
    return "%." + layout.digits + "e";
  }

  @Override
  public String toString() {
    return title + ":" + lines;
  }
}
