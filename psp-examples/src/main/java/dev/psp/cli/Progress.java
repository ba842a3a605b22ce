package dev.psp.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** A one-line progress bar on the error stream and a closing summary line. */
final class Progress {
  private final PrintWriter err;
  private final String what;
  private final int total;
  private final long start = System.nanoTime();
  private int done;

  Progress(PrintWriter err, String what, int total) {
    this.err = err;
    this.what = what;
    this.total = total;
  }

  void advance(int n) {
    done += n;
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
