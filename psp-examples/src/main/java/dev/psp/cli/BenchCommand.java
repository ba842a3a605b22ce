package dev.psp.cli;

import dev.psp.OutputSize;
import dev.psp.LatentCode;
import dev.psp.Noise;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.internal.NativeAllocator;
import dev.psp.io.TensorData;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code psp bench}: wall-clock time of the encoder, the decoder and a full translation (median of
 * repeated runs after warm-up) on random inputs of the model's input shape, on one engine or on all
 * of them in the same run ({@code --engine all}, with their ratio). Prints the CPU, its AVX-512
 * flags and whether the native allocator settings are in effect, since all three change the numbers.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Time encode, decode and translate (median of --iterations after --warmup); "
        + "--engine all times every engine in one run.")
final class BenchCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--warmup", defaultValue = "2", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--iterations", defaultValue = "5", description = "Timed runs (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--batch-size", defaultValue = "1", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  /** Median translation time per engine, in the order they ran. */
  private final Map<String, Double> medians = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    if (warmup < 0 || iterations < 1 || batch < 1) {
      throw new PspCli.UsageException("--warmup must be >= 0, --iterations and --batch-size >= 1");
    }
    List<String> engines = new ArrayList<>();
    if (model.engine != null && model.engine.equalsIgnoreCase("all")) {
      engines.addAll(Psp.engines());
    } else {
      engines.add(model.engine);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println(machine());
    for (String engine : engines) {
      model.engine = engine;
      bench(out);
    }
    String first = medians.keySet().iterator().next();
    medians.forEach((e, s) -> {
      if (!e.equals(first)) {
        out.printf(Locale.ROOT, "translate %s / %s: %.2f%n", e, first, s / medians.get(first));
      }
    });
    return 0;
  }

  private void bench(PrintWriter out) throws Exception {
    try (PspModel m = model.load()) {
      int c = m.encoder().inputNc();
      int side = dev.psp.Encoder.INPUT_SIZE;
      float[] v = new float[batch * c * side * side];
      java.util.Random r = new java.util.Random(1);
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) r.nextGaussian() * 0.5f;
      }
      TensorData x = TensorData.ofFloats(v, batch, c, side, side);
      LatentCode codes = m.encoder().encode(x);
      out.printf(Locale.ROOT, "model %s %dpx, engine %s, device %s, batch %d%n", m.config().task(),
          m.config().outputSize(), m.engine(), m.device(), batch);
      report(out, m.engine(), "encode", time(() -> m.encoder().encode(x)));
      report(out, m.engine(), "decode", time(() -> m.generator().synthesize(codes, Noise.fixed(), OutputSize.FULL)));
      double[] t = time(() -> m.forward(x, Noise.fixed(), OutputSize.FULL));
      report(out, m.engine(), "translate", t);
      medians.put(m.engine(), t[t.length / 2]);
    }
  }

  /** One line on the machine: CPU model, cores, AVX-512 flags and the native allocator settings. */
  static String machine() {
    String cpu = "unknown CPU";
    TreeSet<String> avx512 = new TreeSet<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name") && cpu.equals("unknown CPU")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
        }
        if (line.startsWith("flags")) {
          for (String f : line.substring(line.indexOf(':') + 1).trim().split("\\s+")) {
            if (f.startsWith("avx512")) {
              avx512.add(f);
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the model name stays unknown
    }
    String alloc = !NativeAllocator.applies() ? "n/a (not glibc)"
        : NativeAllocator.processIsTuned() ? "tuned (" + NativeAllocator.asShell() + ")" : "glibc defaults";
    return String.format(Locale.ROOT, "cpu: %s, %d cores, avx512: %s; native allocator: %s", cpu,
        Runtime.getRuntime().availableProcessors(), avx512.isEmpty() ? "none" : String.join(" ", avx512), alloc);
  }

  private double[] time(Supplier<?> work) {
    for (int i = 0; i < warmup; i++) {
      work.get();
    }
    double[] s = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      long t0 = System.nanoTime();
      work.get();
      s[i] = (System.nanoTime() - t0) / 1e9;
    }
    Arrays.sort(s);
    return s;
  }

  private static void report(PrintWriter out, String engine, String what, double[] s) {
    out.printf(Locale.ROOT, "%-8s %-10s median %.3f s  (min %.3f, max %.3f, n=%d)%n", engine, what, s[s.length / 2],
        s[0], s[s.length - 1], s.length);
  }
}
