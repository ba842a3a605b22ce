package dev.psp.training;

import dev.psp.OutputSize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.psp.testing.TinyModels;
import dev.psp.LoadOptions;
import dev.psp.Noise;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.io.Npy;
import dev.psp.io.TensorData;
import dev.psp.nn.Architecture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint trained by the SDK (official architecture, 32 px output, one step) loads in the
 * official {@code pSp} class (python3-torch, {@code official_load_check.py}) and gives the same
 * codes and images as the SDK's engine. Parity profile only: it needs /usr/bin/python3 with torch
 * and the official sources ({@code -Dpsp.official.dir}, default /tmp/psp-official).
 */
@Tag("parity")
class OfficialLoadParityTest {
  @TempDir Path tmp;

  @Test
  void javaTrainedCheckpointGivesTheSameOutputsInTheOfficialCode() throws Exception {
    Path official = Path.of(System.getProperty("psp.official.dir", "/tmp/psp-official"));
    assumeTrue(Files.isRegularFile(Path.of("/usr/bin/python3")) && Files.isDirectory(official),
        "needs /usr/bin/python3 with torch and the official pSp sources");
    int size = 32; // the official GradualStyleEncoder needs n_styles >= 7
    Path gan = TinyModels.writeStyleGan(tmp.resolve("stylegan_official_32.pt"), size, Architecture.OFFICIAL, 9,
        null);
    Map<String, Object> o = TrainingFixtures.tinyOpts(tmp.resolve("exp"), gan);
    o.keySet().removeIf(k -> k.startsWith("sdk_"));
    o.put("max_steps", 0L);
    o.put("output_size", (long) size);
    o.put("learning_rate", 1e-4);
    try (PspTrainer t = PspTrainer.create(TrainOptions.of(o), TrainingFixtures.l2(),
        TrainingFixtures.discs(2, 1), TrainingFixtures.discs(2, 2), TrainingFixtures.adam())) {
      t.train(TrainingListener.silent());
    }
    Path ckpt = tmp.resolve("exp/checkpoints/iteration_0.pt");
    float[] x = new float[2 * 3 * 256 * 256];
    Random r = new Random(3);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (2 * r.nextDouble() - 1);
    }
    TensorData input = TensorData.ofFloats(x, 2, 3, 256, 256);
    Npy.write(tmp.resolve("x.npy"), input);
    Process p = new ProcessBuilder("/usr/bin/python3",
        Path.of("src/test/python/official_load_check.py").toAbsolutePath().toString(), ckpt.toString(),
        tmp.resolve("x.npy").toString(), tmp.resolve("official").toString(), "--psp-root", official.toString(),
        "--fixtures", Path.of(System.getProperty("psp.fixtures")).toAbsolutePath().toString())
        .inheritIO().start();
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).isZero();
    TensorData images = Npy.read(tmp.resolve("official_images.npy"));
    TensorData codes = Npy.read(tmp.resolve("official_codes.npy"));
    for (String engine : new String[] {"pytorch", "onnx"}) {
      try (PspModel m = Psp.load(ckpt.toString(), LoadOptions.defaults().optEngine(engine))) {
        TensorData ours = m.forward(input, Noise.fixed(), OutputSize.FULL);
        double d = maxAbs(ours.toFloatArray(), images.toFloatArray());
        double c = maxAbs(m.encoder().encode(input).toTensor().toFloatArray(), codes.toFloatArray());
        System.out.printf("%s engine vs official pSp on the Java-trained checkpoint: images max |diff| %.3g,"
            + " codes max |diff| %.3g%n", engine, d, c);
        assertThat(d).isLessThan(1e-3);
        assertThat(c).isLessThan(1e-4);
      }
    }
  }

  private static double maxAbs(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }
}
