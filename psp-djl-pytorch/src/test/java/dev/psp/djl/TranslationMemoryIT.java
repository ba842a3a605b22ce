package dev.psp.djl;

import dev.psp.OutputSize;
import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.Noise;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.TranslationTask;
import dev.psp.io.TensorData;
import dev.psp.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native memory stays flat over many translations in one process. Runs on a tiny model by default;
 * {@code -Dpsp.soak.model=<file.pt> -Dpsp.soak.count=N} soaks a real one.
 */
class TranslationMemoryIT {
  @Test
  void thousandTranslationsLeaveResidentMemoryFlat(@TempDir Path dir) throws Exception {
    String model = System.getProperty("psp.soak.model", "");
    int count = Integer.getInteger("psp.soak.count", 1000);
    Path file = model.isBlank() ? TinyModels.write(dir, TranslationTask.SKETCH_TO_FACE, 7) : Path.of(model);
    try (PspModel m = Psp.load(file)) {
      int nc = m.config().inputNc();
      float[] v = new float[nc * 256 * 256];
      java.util.Arrays.fill(v, 0.5f);
      TensorData x = TensorData.ofFloats(v, 1, nc, 256, 256);
      long rss10 = 0;
      long rssHalf = 0;
      StringBuilder report = new StringBuilder();
      for (int i = 1; i <= count; i++) {
        m.forward(x, Noise.seeded(i), OutputSize.FULL);
        if (i == 10 || i == 100 || i == count / 2 || i == count || i % 250 == 0) {
          long rss = rssKb();
          report.append(String.format(Locale.ROOT, "%n  after %5d translations: RSS %,d kB", i, rss));
          if (i == 10) {
            rss10 = rss;
          }
          if (i == count / 2) {
            rssHalf = rss;
          }
        }
      }
      long end = rssKb();
      System.out.println("memory soak on " + file.getFileName() + ":" + report);
      // the first few hundred calls warm up allocator pools and the JIT; after that the reading
      // wanders by about +-10 MB (measured over 3000 calls). Leaking the input alone (256 kB per
      // call here) would add 128 MB over the second half; the limit is a quarter of that.
      assertThat(end - rssHalf).as(report.toString()).isLessThan(64L * count / 2);
      assertThat(rss10).isPositive();
    }
  }

  /**
   * Resident memory after a full GC: DJL hands inputs and constants to libtorch in Java direct
   * buffers that are freed only when collected, so without a GC the reading drifts with GC timing.
   */
  static long rssKb() throws Exception {
    System.gc();
    Thread.sleep(50);
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
