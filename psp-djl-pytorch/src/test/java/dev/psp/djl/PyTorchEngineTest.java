package dev.psp.djl;

import dev.psp.OutputSize;
import static org.assertj.core.api.Assertions.assertThat;

import dev.psp.Noise;
import dev.psp.Psp;
import dev.psp.PspModel;
import dev.psp.io.TensorData;
import dev.psp.testing.EngineContractTest;
import org.junit.jupiter.api.Test;

/** The engine contract on the pytorch engine, plus what is particular to it: it is the default engine. */
class PyTorchEngineTest extends EngineContractTest {
  PyTorchEngineTest() {
    super("pytorch", "CUDA GPU(s)");
  }

  @Test
  void pytorchIsTheDefaultEngine() throws Exception {
    assertThat(Psp.engines()).startsWith("pytorch");
    try (PspModel m = Psp.load(sketch())) {
      assertThat(m.engine()).isEqualTo("pytorch");
      TensorData x = input(1, 12);
      assertThat(m.forward(x, Noise.fixed(), OutputSize.FULL).toFloatArray())
          .containsExactly(model().forward(x, Noise.fixed(), OutputSize.FULL).toFloatArray());
    }
  }

  @Test
  void ranksFirstOnAGpuAndOnACpuOnlyWithTheNativeAllocatorSettings() {
    assertThat(PyTorchEngineProvider.rank(dev.psp.Device.gpu(0), false)).isEqualTo(20);
    assertThat(PyTorchEngineProvider.rank(dev.psp.Device.cpu(), true)).isGreaterThan(5); // onnx is 5
    assertThat(PyTorchEngineProvider.rank(dev.psp.Device.cpu(), false)).isLessThan(5);
  }
}
