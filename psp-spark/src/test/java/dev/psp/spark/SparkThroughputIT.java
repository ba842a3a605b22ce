package dev.psp.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images/s of the local-mode job against one {@code psp translate} process on the same synthetic inputs,
 * in rounds that alternate the two (so both see the same machine load), for docs/spark.md. Opt-in:
 * {@code mvn -pl psp-spark verify -Dit.test=SparkThroughputIT -Dpsp.spark.bench.images=1000}; also
 * {@code psp.spark.bench.rounds} (default 3), {@code psp.spark.bench.batch} (8) and
 * {@code psp.spark.bench.configs} (inference slots x threads, default {@code 1x2,2x1,2x2}). Needs
 * {@code psp-examples/target/psp.jar}. Writes {@code target/spark-throughput.md}.
 */
class SparkThroughputIT {
  private static final Pattern CLI = Pattern.compile("translated (\\d+) images in ([0-9.]+) s");
  private static final Pattern JOB = Pattern.compile("(\\d+) inputs in \\d+ partitions.* in ([0-9.]+) s \\(.*; ([0-9.]+) s with start-up");

  @Test
  void jobAgainstOneCliProcess(@TempDir Path dir) throws Exception {
    int images = Integer.getInteger("psp.spark.bench.images", 0);
    Assumptions.assumeTrue(images > 0, "set -Dpsp.spark.bench.images=N to run the benchmark");
    Path cliJar = Path.of("..", "psp-examples", "target", "psp.jar").toAbsolutePath();
    Assumptions.assumeTrue(Files.isRegularFile(cliJar), "needs " + cliJar);
    Path sparkJar = Path.of(System.getProperty("psp.spark.jar", "target/psp-spark.jar")).toAbsolutePath();
    int rounds = Integer.getInteger("psp.spark.bench.rounds", 3);
    String batch = System.getProperty("psp.spark.bench.batch", "8");
    List<String> configs = List.of(System.getProperty("psp.spark.bench.configs", "1x2,2x1,2x2").split(","));
    SparkTesting.writeFaces(dir.resolve("in"), 0, images);

    Map<String, List<double[]>> results = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      String log = timed(dir, "cli", List.of("-jar", cliJar.toString(), "translate", "--model", "encode", "--input",
          "in", "--output", "out-cli-" + round, "--batch-size", batch), results, "psp translate (1 process)");
      for (String c : configs) {
        String[] st = c.trim().split("x");
        timed(dir, "job", List.of("-jar", sparkJar.toString(), "--master", "local[2]", "--input", "in", "--output",
            "out-" + c.trim() + "-" + round, "--model", "encode", "--batch-size", batch, "--inference-slots", st[0],
            "--threads", st[1]), results, "psp-spark local[2], " + st[0] + " slot(s) x " + st[1] + " thread(s)");
      }
      assertThat(log).contains("translated " + images);
    }
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "%d synthetic 256-px faces, demo model `encode` (128 px), batch %s, %d rounds "
        + "(median; best)%n%n| run | images/s processing | wall s (JVM start to exit) |%n|---|---|---|%n", images,
        batch, rounds));
    results.forEach((label, list) -> md.append(String.format(Locale.ROOT, "| %s | %.1f; %.1f | %.1f; %.1f |%n", label,
        median(list, 0), best(list, 0, true), median(list, 1), best(list, 1, false))));
    System.out.println(md);
    Files.writeString(Path.of("target", "spark-throughput.md"), md.toString());
  }

  private static String timed(Path dir, String kind, List<String> args, Map<String, List<double[]>> results,
      String label) throws Exception {
    long t0 = System.nanoTime();
    String log = PspSparkJarIT.run(PspSparkJarIT.java(dir, args), 0);
    double wall = (System.nanoTime() - t0) / 1e9;
    Matcher m = (kind.equals("cli") ? CLI : JOB).matcher(log);
    assertThat(m.find()).as(log).isTrue();
    double rate = Double.parseDouble(m.group(1)) / Double.parseDouble(m.group(2));
    results.computeIfAbsent(label, k -> new ArrayList<>()).add(new double[] {rate, wall});
    System.out.printf(Locale.ROOT, "%s: %.1f images/s, %.1f s wall (load %s)%n", label, rate, wall,
        Files.readString(Path.of("/proc/loadavg")).trim());
    return log;
  }

  private static double median(List<double[]> list, int i) {
    double[] v = list.stream().mapToDouble(a -> a[i]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private static double best(List<double[]> list, int i, boolean max) {
    return max ? list.stream().mapToDouble(a -> a[i]).max().orElse(0) : list.stream().mapToDouble(a -> a[i]).min().orElse(0);
  }
}
