package dev.psp.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON-lines training log {@code logs/train.jsonl}: one object per logged step, {@code
 * {"split":"train","step":12,"loss":0.31,...}}.
 */
final class TrainingLog {
  private static final Pattern STEP = Pattern.compile("\"step\":(\\d+)");

  private TrainingLog() {}

  static void append(Path expDir, String split, long step, Map<String, Double> values, double seconds)
      throws IOException {
    StringBuilder sb = new StringBuilder("{\"split\":\"").append(split).append("\",\"step\":").append(step);
    values.forEach((k, v) -> sb.append(",\"").append(k).append("\":").append(number(v)));
    if (seconds > 0) {
      sb.append(",\"seconds\":").append(String.format(Locale.ROOT, "%.4f", seconds));
    }
    sb.append("}\n");
    Path file = expDir.resolve("logs").resolve("train.jsonl");
    Files.createDirectories(file.getParent());
    Files.writeString(file, sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static String number(double v) {
    return Double.isFinite(v) ? Double.toString(v) : "null";
  }

  /** Drops the lines of steps at or after {@code fromStep} (they are retrained after a resume). */
  static void truncate(Path expDir, long fromStep) throws IOException {
    Path file = expDir.resolve("logs").resolve("train.jsonl");
    if (!Files.isRegularFile(file)) {
      return;
    }
    List<String> keep = Files.readAllLines(file).stream().filter(l -> {
      Matcher m = STEP.matcher(l);
      return m.find() && Long.parseLong(m.group(1)) < fromStep;
    }).toList();
    dev.psp.internal.AtomicFiles.writeString(file, keep.isEmpty() ? "" : String.join("\n", keep) + "\n");
  }
}
