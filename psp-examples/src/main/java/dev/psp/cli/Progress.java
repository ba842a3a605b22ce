package dev.psp.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar on the error stream, redrawn at most {@value #REDRAWS_PER_SECOND} times a
 * second (and at the end), and a closing summary line. A fast loop redirected to a log file then
 * writes a few redraws a second, not one per item.
 */
final class Progress {
  static final int REDRAWS_PER_SECOND = 4;
  private final PrintWriter err;
  private final String what;
  private final int total;
  private final long start = System.nanoTime();
  private int done;
  private long lastDraw = Long.MIN_VALUE;

  Progress(PrintWriter err, String what, int total) {
    this.err = err;
    this.what = what;
    this.total = total;
  }

  void advance(int n) {
    done += n;
    long now = System.nanoTime();
    if (done < total && lastDraw != Long.MIN_VALUE && now - lastDraw < 1_000_000_000L / REDRAWS_PER_SECOND) {
      return;
    }
    lastDraw = now;
    int width = 30;
    int filled = total == 0 ? width : (int) ((long) width * done / total);
    err.printf(Locale.ROOT, "\r[%s%s] %d/%d %s  %.2f/s", "=".repeat(filled), " ".repeat(width - filled), done, total,
        what, rate());
    err.flush();
  }

  double seconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  double rate() {
    double s = seconds();
    return s == 0 ? 0 : done / s;
  }

  /** Ends the bar with a summary: count, seconds, rate. */
  String finish() {
    err.println();
    return String.format(Locale.ROOT, "%d %s in %.2f s (%.2f %s/s)", done, what, seconds(), rate(), what);
  }
}
