package dev.psp.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.psp.io.TensorData;
import dev.psp.nn.StateDictSpec;
import dev.psp.nn.stylegan2.Generator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Running the small generator 200 times, each call in its own sub-manager, leaves no NDArray behind
 * in the parameters' manager, keeps only a few arrays alive per call (layer scopes release the
 * rest), and does not grow the process's resident memory.
 */
class GeneratorMemoryTest {
  static final int BATCH = 16;
  static final int ITERATIONS = 200;
  static final int WARMUP = 20;

  @Test
  void twoHundredForwardsLeakNeitherArraysNorNativeMemory() throws IOException {
    Generator g = ModuleParityTest.smallGenerator();
    StateDictSpec spec = g.stateDictSpec();
    SplittableRandom rng = new SplittableRandom(11);
    Map<String, TensorData> sd = new LinkedHashMap<>();
    for (StateDictSpec.Entry e : spec.entries()) {
      sd.put(e.key(), TensorData.ofFloats(e.init().sample(Math.toIntExact(e.numel()), rng),
          e.shape()));
    }
    try (NDManager root = Engine.getEngine("PyTorch").newBaseManager()) {
      NDManager paramsManager = root.newSubManager();
      Map<String, NDArray> params = DjlTensorOps.toNDArrays(paramsManager, sd);
      float[] styles = new float[BATCH * g.nLatent() * g.styleDim()];
      for (int i = 0; i < styles.length; i++) {
        styles[i] = (float) rng.nextGaussian();
      }
      NDArray latent = paramsManager.create(styles, new Shape(BATCH, g.nLatent(), g.styleDim()));
      int arraysBefore = managed(paramsManager);

      float first = 0;
      int leftPerCall = -1;
      long rssWarm = 0;
      for (int i = 0; i < ITERATIONS; i++) {
        if (i == WARMUP) {
          System.gc();
          rssWarm = rssBytes();
        }
        try (NDManager call = paramsManager.newSubManager()) {
          DjlTensorOps ops = new DjlTensorOps(call, params);
          NDArray image = g.forward(ops, latent, g.storedNoises(ops));
          float v = image.toFloatArray()[0];
          int left = managed(call);
          if (i == 0) {
            first = v;
            leftPerCall = left;
          }
          assertThat(v).as("call %d reproduces call 0", i).isEqualTo(first);
          assertThat(left).as("arrays alive at the end of call %d", i).isEqualTo(leftPerCall);
        }
        assertThat(managed(paramsManager)).as("arrays in the params manager after call %d", i)
            .isEqualTo(arraysBefore);
      }
      System.gc();
      long growth = rssBytes() - rssWarm;
      System.out.printf("arrays alive at the end of a call: %d; RSS growth over %d forwards of"
          + " batch %d: %.1f MB%n", leftPerCall, ITERATIONS - WARMUP, BATCH, growth / 1e6);
      // 5 layers x (2 constants + a few scalars) + the outputs; without the layer scopes ~264
      assertThat(leftPerCall).isLessThan(100);
      // a leak of the ~5.7 MB each call computes would add about 1 GB here
      assertThat(growth).as("RSS growth in bytes").isLessThan(64L << 20);
    }
  }

  private static int managed(NDManager m) {
    return ((BaseNDManager) m).getManagedArrays().size();
  }

  private static long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }
}
