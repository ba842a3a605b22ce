package dev.psp.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.psp.Device;
import dev.psp.EngineException;
import dev.psp.PspException;
import dev.psp.internal.Settings;
import dev.psp.spi.Engine;
import dev.psp.spi.EngineModel;
import dev.psp.spi.ModelWeights;
import java.util.EnumSet;

/**
 * The {@code onnx} engine: each checkpoint is exported to ONNX by {@link OnnxExport} and run on ONNX
 * Runtime. CPU natives come with {@code com.microsoft.onnxruntime:onnxruntime}; a GPU needs {@code
 * onnxruntime_gpu} and CUDA instead.
 *
 * <p>Configuration: {@code -Dpsp.onnx.threads=N} (or {@code PSP_ONNX_THREADS}) sets ONNX Runtime's
 * intra-op threads per session; by default ONNX Runtime uses one per physical core. The process-wide
 * {@link OrtEnvironment} is shared and never closed. Thread-safe.
 */
public final class OnnxEngine implements Engine {
  private static volatile OnnxEngine instance;
  private final OrtEnvironment env;

  private OnnxEngine(OrtEnvironment env) {
    this.env = env;
  }

  /** The engine, loading ONNX Runtime on first use. */
  static OnnxEngine instance() {
    OnnxEngine e = instance;
    if (e == null) {
      synchronized (OnnxEngine.class) {
        e = instance;
        if (e == null) {
          e = new OnnxEngine(startOrt());
          instance = e;
        }
      }
    }
    return e;
  }

  private static OrtEnvironment startOrt() {
    try {
      return OrtEnvironment.getEnvironment();
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw new EngineException("ONNX Runtime could not start: " + e.getMessage()
          + ". Put com.microsoft.onnxruntime:onnxruntime (it holds the CPU natives) on the class path, "
          + "or choose another engine (-Dpsp.engine=pytorch)", e);
    }
  }

  @Override
  public String name() {
    return OnnxEngineProvider.NAME;
  }

  @Override
  public String version() {
    return "ONNX Runtime " + env.getVersion() + " (opset " + OnnxGraphBuilder.OPSET + ")";
  }

  /**
   * Session options for a device and the configured thread count. The graphs run with ONNX Runtime's
   * basic optimisations and without its memory arena: the weights are inputs (see {@link OnnxModel}),
   * so the layout and constant-folding passes of the higher levels have nothing to pack, and measured
   * at 1024 px on 2 cores the basic level was as fast (2.58 s per translation, against 2.72 s with all
   * optimisations) at 2.1 GB instead of 9.2 GB peak memory; the arena grows in powers of two and kept
   * 4.7 GB after one translation (docs/benchmarks.md).
   */
  OrtSession.SessionOptions sessionOptions(Device device) {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
      options.setCPUArenaAllocator(false);
      int threads = threads();
      if (threads > 0) {
        options.setIntraOpNumThreads(threads);
      }
      if (device.type() == Device.Type.GPU) {
        EnumSet<OrtProvider> providers = OrtEnvironment.getAvailableProviders();
        if (!providers.contains(OrtProvider.CUDA)) {
          throw gpuUnavailable(device, "this ONNX Runtime " + env.getVersion() + " build has only " + providers, null);
        }
        try {
          options.addCUDA(device.index());
        } catch (OrtException e) {
          throw gpuUnavailable(device, e.getMessage(), e);
        }
      }
      return options;
    } catch (OrtException e) {
      options.close();
      throw new EngineException("ONNX Runtime rejected the session options: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      options.close();
      throw e;
    }
  }

  private static EngineException gpuUnavailable(Device device, String why, Throwable cause) {
    return new EngineException("device " + device + " is not available on the onnx engine: " + why
        + ". Replace com.microsoft.onnxruntime:onnxruntime with onnxruntime_gpu of the same version and "
        + "install CUDA 12 and cuDNN 9, or use --device cpu", cause);
  }

  /** {@code psp.onnx.threads}, or 0 for ONNX Runtime's default. */
  static int threads() {
    String v = Settings.get("onnx.threads").orElse(null);
    if (v == null) {
      return 0;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new EngineException("psp.onnx.threads (" + Settings.envName("onnx.threads")
          + ") must be a positive integer, got '" + v + "'");
    }
  }

  OrtEnvironment environment() {
    return env;
  }

  @Override
  public EngineModel load(ModelWeights weights, Device device) throws PspException {
    return new OnnxModel(this, weights, device);
  }

  @Override
  public String toString() {
    return version();
  }
}
