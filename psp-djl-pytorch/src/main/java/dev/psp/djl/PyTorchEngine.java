package dev.psp.djl;

import dev.psp.Device;
import dev.psp.EngineException;
import dev.psp.PspException;
import dev.psp.internal.NativeAllocator;
import dev.psp.spi.Engine;
import dev.psp.spi.EngineModel;
import dev.psp.spi.ModelWeights;

/**
 * The {@code pytorch} engine: the network definition of {@link dev.psp.nn} run eagerly on DJL's
 * PyTorch engine (libtorch). CPU natives come from {@code ai.djl.pytorch:pytorch-native-cpu}; a GPU
 * needs CUDA natives (see docs/engines.md). Thread-safe.
 */
public final class PyTorchEngine implements Engine {
  private static final System.Logger LOG = System.getLogger(PyTorchEngine.class.getName());
  private static volatile PyTorchEngine instance;
  private final ai.djl.engine.Engine djl;

  private PyTorchEngine(ai.djl.engine.Engine djl) {
    this.djl = djl;
  }

  /**
   * DJL's PyTorch engine as the SDK starts it (offline, libtorch's log level, the native allocator
   * hint; a clear error naming the missing natives): what training and other code that works with
   * DJL arrays directly should use instead of {@code Engine.getEngine("PyTorch")}.
   *
   * @throws EngineException if libtorch cannot start
   */
  public static ai.djl.engine.Engine djl() {
    return instance().djl;
  }

  /** The engine, starting libtorch on first use. */
  static PyTorchEngine instance() {
    PyTorchEngine e = instance;
    if (e == null) {
      synchronized (PyTorchEngine.class) {
        e = instance;
        if (e == null) {
          e = new PyTorchEngine(startDjl());
          instance = e;
        }
      }
    }
    return e;
  }

  private static ai.djl.engine.Engine startDjl() {
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true"); // the SDK never downloads anything
    }
    boolean wanted = NativeAllocator.wanted(); // a bad value fails here, naming the setting
    boolean hint = wanted && !NativeAllocator.processIsTuned();
    try {
      ai.djl.engine.Engine engine = ai.djl.engine.Engine.getEngine("PyTorch");
      NativeLog.apply();
      if (hint) {
        LOG.log(System.Logger.Level.INFO, "the pytorch engine runs up to 2x faster on large models when the JVM"
            + " starts with " + NativeAllocator.asShell() + " in its environment (freed native memory is then"
            + " reused instead of faulted in again; the psp command does this itself); see docs/engines.md."
            + " Set psp.native.allocator=system to silence this line");
      }
      return engine;
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw new EngineException("the PyTorch engine could not start: " + e.getMessage()
          + ". Put ai.djl.pytorch:pytorch-native-cpu (classifier linux-x86_64, or your platform's) and "
          + "ai.djl.pytorch:pytorch-jni on the class path, or choose another engine (-Dpsp.engine=onnx)", e);
    }
  }

  @Override
  public String name() {
    return PyTorchEngineProvider.NAME;
  }

  @Override
  public String version() {
    return "PyTorch " + djl.getVersion() + " (DJL " + ai.djl.engine.Engine.getDjlVersion() + ")";
  }

  /** The DJL device for an SDK device, checking that a GPU exists. */
  ai.djl.Device djlDevice(Device device) {
    if (device.type() == Device.Type.CPU) {
      return ai.djl.Device.cpu();
    }
    int gpus = djl.getGpuCount();
    if (device.index() >= gpus) {
      throw new EngineException("device " + device + " is not available: PyTorch " + djl.getVersion()
          + " sees " + gpus + " CUDA GPU(s)" + (gpus == 0
              ? ". The loaded natives are CPU-only or no NVIDIA driver is present; see docs/engines.md for "
                  + "CUDA natives, or use --device cpu" : ""));
    }
    return ai.djl.Device.gpu(device.index());
  }

  @Override
  public EngineModel load(ModelWeights weights, Device device) throws PspException {
    return new PyTorchModel(weights, djl, djlDevice(device));
  }

  @Override
  public String toString() {
    return version();
  }
}
