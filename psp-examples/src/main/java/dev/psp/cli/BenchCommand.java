package dev.psp.cli;

import dev.psp.LatentCode;
import dev.psp.Noise;
import dev.psp.PspModel;
import dev.psp.io.TensorData;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code psp bench}: wall-clock time of the encoder, the decoder and a full translation at batch 1
 * (median of repeated runs after warm-up), on random inputs of the model's input shape.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Time encode, decode and translate at batch 1 (median of --iterations after --warmup).")
final class BenchCommand implements Callable<Integer> {
  @Mixin ModelOptions model;
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--warmup", defaultValue = "2", description = "Untimed runs first (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--iterations", defaultValue = "5", description = "Timed runs (default: ${DEFAULT-VALUE}).")
  int iterations;

  @Option(names = "--batch-size", defaultValue = "1", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch;

  @Override
  public Integer call() throws Exception {
    if (warmup < 0 || iterations < 1 || batch < 1) {
      throw new PspCli.UsageException("--warmup must be >= 0, --iterations and --batch-size >= 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (PspModel m = model.load()) {
      int c = m.config().inputNc();
      float[] v = new float[batch * c * 256 * 256];
      java.util.Random r = new java.util.Random(1);
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) r.nextGaussian() * 0.5f;
      }
      TensorData x = TensorData.ofFloats(v, batch, c, 256, 256);
      LatentCode codes = m.encoder().encode(x);
      out.printf(Locale.ROOT, "model %s, engine %s, device %s, batch %d, %d threads available%n", m.config().task(),
          m.engine(), m.device(), batch, Runtime.getRuntime().availableProcessors());
      report(out, "encode", time(() -> m.encoder().encode(x)));
      report(out, "decode", time(() -> m.generator().synthesize(codes, Noise.fixed(), false)));
      report(out, "translate", time(() -> m.forward(x, Noise.fixed(), false)));
    }
    return 0;
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

  private static void report(PrintWriter out, String what, double[] s) {
    out.printf(Locale.ROOT, "%-10s median %.3f s  (min %.3f, max %.3f, n=%d)%n", what, s[s.length / 2], s[0],
        s[s.length - 1], s.length);
  }
}
