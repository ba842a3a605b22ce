package dev.psp.training;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * A one-line text progress bar for training: steps done, a bar, the loss, the speed and the time
 * left, redrawn in place with a carriage return at most a few times a second.
 */
public final class ProgressBar implements TrainingListener {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private long lastDraw;

  /** A bar drawn on {@code out} (usually {@code System.err}). */
  public ProgressBar(PrintStream out) {
    this.out = out;
  }

  @Override
  public void onStep(long step, long lastStep, Map<String, Double> losses, double secondsPerStep) {
    long now = System.nanoTime();
    boolean last = step >= lastStep;
    if (!last && now - lastDraw < 250_000_000L) {
      return;
    }
    lastDraw = now;
    double frac = (step + 1) / (double) (lastStep + 1);
    int filled = (int) Math.round(frac * WIDTH);
    long left = Math.round((lastStep - step) * secondsPerStep);
    out.printf(Locale.ROOT, "\rstep %d/%d [%s%s] %s  %.2f s/step  %d:%02d left", step, lastStep,
        "#".repeat(filled), ".".repeat(WIDTH - filled), shown(losses), secondsPerStep, left / 60, left % 60);
    if (last) {
      out.println();
    }
    out.flush();
  }

  /** {@code loss X} when there is a total, else the first two values (a GAN's d_loss and g_loss). */
  private static String shown(Map<String, Double> losses) {
    if (losses.containsKey("loss")) {
      return String.format(Locale.ROOT, "loss %.4f", losses.get("loss"));
    }
    StringBuilder sb = new StringBuilder();
    losses.entrySet().stream().limit(2).forEach(e -> sb.append(sb.length() == 0 ? "" : " ")
        .append(String.format(Locale.ROOT, "%s %.4f", e.getKey(), e.getValue())));
    return sb.toString();
  }

  @Override
  public void onValidation(long step, Map<String, Double> metrics) {
    StringBuilder sb = new StringBuilder("\nvalidation at step " + step + ":");
    metrics.forEach((k, v) -> sb.append(String.format(Locale.ROOT, " %s=%.5f", k, v)));
    out.println(sb);
  }
}
