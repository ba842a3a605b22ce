package dev.psp.image;

import dev.psp.io.TensorData;
import java.util.Arrays;

/**
 * PyTorch's {@code AdaptiveAvgPool2d((size, size))} on host tensors, the {@code face_pool} that turns
 * a reconstruction into the next ReStyle input: output pixel i averages input rows {@code
 * [floor(i·H/size), ceil((i+1)·H/size))} and the same columns, summed in float32 row by row as the
 * CPU kernel does. Stateless.
 */
public final class AdaptivePool {
  private AdaptivePool() {
  }

  /** Pools {@code [B,C,H,W]} to {@code [B,C,size,size]} (a copy when already that size). */
  public static TensorData pool(TensorData x, int size) {
    long[] s = x.shape();
    if (s.length != 4 || size < 1) {
      throw new IllegalArgumentException("expected [B,C,H,W] and a positive size, got " + Arrays.toString(s)
          + " and " + size);
    }
    int planes = Math.toIntExact(s[0] * s[1]);
    int h = Math.toIntExact(s[2]);
    int w = Math.toIntExact(s[3]);
    float[] in = x.toFloatArray();
    float[] out = new float[planes * size * size];
    for (int p = 0; p < planes; p++) {
      int base = p * h * w;
      for (int oy = 0; oy < size; oy++) {
        int y0 = oy * h / size;
        int y1 = ((oy + 1) * h + size - 1) / size;
        for (int ox = 0; ox < size; ox++) {
          int x0 = ox * w / size;
          int x1 = ((ox + 1) * w + size - 1) / size;
          float sum = 0f;
          for (int y = y0; y < y1; y++) {
            for (int xx = x0; xx < x1; xx++) {
              sum += in[base + y * w + xx];
            }
          }
          out[(p * size + oy) * size + ox] = sum / (y1 - y0) / (x1 - x0);
        }
      }
    }
    return TensorData.ofFloats(out, s[0], s[1], size, size);
  }
}
