package dev.psp.djl;

import dev.psp.Device;
import dev.psp.internal.NativeAllocator;
import dev.psp.spi.Engine;
import dev.psp.spi.EngineProvider;

/**
 * Registers the {@code pytorch} engine. Loads no native code: libtorch is loaded when
 * {@link #engine()} is first called.
 */
public final class PyTorchEngineProvider implements EngineProvider {
  /** The engine name users choose it by. */
  public static final String NAME = "pytorch";

  /** Creates the provider (called by {@link java.util.ServiceLoader}). */
  public PyTorchEngineProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int rank() {
    return 10;
  }

  /**
   * First on a GPU; on a CPU first only when the process runs with the native allocator settings
   * ({@link NativeAllocator}), else below {@code onnx}. Measured on 2 cores (docs/benchmarks.md): with
   * the settings a 1024-px translation takes 2.31 s on pytorch and 2.68 s on onnx; without them
   * libtorch spends its time faulting in fresh memory and takes 4.1 s, while onnx stays at 2.8 s.
   */
  @Override
  public int rank(Device device) {
    return rank(device, NativeAllocator.processIsTuned());
  }

  /** The rank on {@code device} in a process that runs with ({@code tuned}) or without the settings. */
  static int rank(Device device, boolean tuned) {
    if (device.type() == Device.Type.GPU) {
      return 20;
    }
    return tuned ? 10 : 4;
  }

  @Override
  public Engine engine() {
    return PyTorchEngine.instance();
  }
}
