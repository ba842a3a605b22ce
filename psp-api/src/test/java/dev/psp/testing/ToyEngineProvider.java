package dev.psp.testing;

import dev.psp.Device;
import dev.psp.EngineException;
import dev.psp.OutputSize;
import dev.psp.io.TensorData;
import dev.psp.spi.Engine;
import dev.psp.spi.EngineModel;
import dev.psp.spi.EngineProvider;
import dev.psp.spi.ModelWeights;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny engine for testing the API and the SPI without native code. Its "networks" are simple,
 * exactly known functions, so the pSp logic around them can be checked with numbers:
 *
 * <ul>
 *   <li>encode: {@code codes[b,i,k] = mean(x[b]) * (i + 1) + k / 1000} ({@code [B, dim]} for one row);
 *   <li>decode: {@code img[b,c,y,x] = sum_i codes[b,i,c] + noise_last[b or 0, 0, y % r, x % r]} (S×S,
 *       or 256×256 when pooled);
 *   <li>mapping: {@code w = 2 z + 1}.
 * </ul>
 */
public final class ToyEngineProvider implements EngineProvider {
  /** Models loaded and not yet closed, across all toy engines. */
  public static final AtomicInteger OPEN_MODELS = new AtomicInteger();

  @Override
  public String name() {
    return "toy";
  }

  @Override
  public int rank() {
    return -100;
  }

  @Override
  public Engine engine() {
    return new Engine() {
      @Override
      public String name() {
        return "toy";
      }

      @Override
      public String version() {
        return "toy 1";
      }

      @Override
      public EngineModel load(ModelWeights weights, Device device) {
        if (device.type() != Device.Type.CPU) {
          throw new EngineException("the toy engine runs on the cpu only");
        }
        return new ToyModel(weights.config().nStyles(), weights.config().outputSize(), dimOf(weights));
      }
    };
  }

  private static int dimOf(ModelWeights w) {
    TensorData t = w.stateDict().get("decoder.style.1.weight");
    return t == null ? 8 : (int) t.dim(0);
  }

  /** The toy model. */
  public static final class ToyModel implements EngineModel {
    private final int nStyles;
    private final int size;
    private final int dim;
    private boolean closed;

    /** A toy model with n rows of width dim, output size S. */
    public ToyModel(int nStyles, int size, int dim) {
      this.nStyles = nStyles;
      this.size = size;
      this.dim = dim;
      OPEN_MODELS.incrementAndGet();
    }

    @Override
    public TensorData encode(TensorData input) {
      long[] s = input.shape();
      int b = (int) s[0];
      int per = (int) (input.numel() / b);
      float[] x = input.toFloatArray();
      float[] out = new float[b * nStyles * dim];
      for (int i = 0; i < b; i++) {
        double m = 0;
        for (int j = 0; j < per; j++) {
          m += x[i * per + j];
        }
        m /= per;
        for (int r = 0; r < nStyles; r++) {
          for (int k = 0; k < dim; k++) {
            out[(i * nStyles + r) * dim + k] = (float) (m * (r + 1) + k / 1000.0);
          }
        }
      }
      // the W encoder (one row) returns [B, dim], as the contract says
      return nStyles == 1 ? TensorData.ofFloats(out, b, dim) : TensorData.ofFloats(out, b, nStyles, dim);
    }

    @Override
    public TensorData decode(TensorData codes, List<TensorData> noise, OutputSize size) {
      int b = (int) codes.dim(0);
      float[] c = codes.toFloatArray();
      int s = size.pooled() ? 256 : this.size;
      float[] out = new float[b * 3 * s * s];
      TensorData last = noise == null ? null : noise.get(noise.size() - 1);
      float[] nz = last == null ? null : last.toFloatArray();
      int r = last == null ? 1 : (int) last.dim(2);
      for (int i = 0; i < b; i++) {
        for (int ch = 0; ch < 3; ch++) {
          float sum = 0;
          for (int row = 0; row < nStyles; row++) {
            sum += c[(i * nStyles + row) * dim + ch];
          }
          for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
              float n = 0;
              if (nz != null) {
                int nb = last.dim(0) == 1 ? 0 : i;
                n = nz[(nb * r + y % r) * r + x % r];
              }
              out[((i * 3 + ch) * s + y) * s + x] = sum + n;
            }
          }
        }
      }
      return TensorData.ofFloats(out, b, 3, s, s);
    }

    @Override
    public TensorData mapping(TensorData z) {
      float[] v = z.toFloatArray();
      for (int i = 0; i < v.length; i++) {
        v[i] = 2 * v[i] + 1;
      }
      return TensorData.ofFloats(v, z.shape());
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        OPEN_MODELS.decrementAndGet();
      }
    }
  }
}
