package dev.psp.align;

/**
 * {@code np.median} of float32 values: the middle value, or for an even count the float32 mean of the two
 * middle values ({@code (a + b) / 2} in float32); NaN if any value is NaN. Found by a two-pass radix
 * selection on the float bits (linear time, no sorting).
 *
 * <p>Stateless and thread-safe.
 */
final class FloatMedian {
  private FloatMedian() {}

  /** The median of {@code values} (not modified). */
  static float of(float[] values) {
    int n = values.length;
    if (n == 0) {
      throw new IllegalArgumentException("values must not be empty");
    }
    int[] keys = new int[n];
    for (int i = 0; i < n; i++) {
      float v = values[i];
      if (Float.isNaN(v)) {
        return Float.NaN;
      }
      keys[i] = sortable(v + 0.0f); // + 0.0f turns -0.0 into 0.0: numpy compares them as equal
    }
    if (n % 2 == 1) {
      return value(select(keys, n / 2));
    }
    float a = value(select(keys, n / 2 - 1));
    float b = value(select(keys, n / 2));
    return (a + b) / 2.0f;
  }

  /** The {@code k}-th smallest key (0-based): histogram of the high 16 bits, then of the low 16 bits. */
  private static int select(int[] keys, int k) {
    int[] count = new int[1 << 16];
    for (int key : keys) {
      count[(key >>> 16) ^ 0x8000]++;
    }
    int high = 0;
    int before = 0;
    while (before + count[high] <= k) {
      before += count[high];
      high++;
    }
    java.util.Arrays.fill(count, 0);
    for (int key : keys) {
      if (((key >>> 16) ^ 0x8000) == high) {
        count[key & 0xFFFF]++;
      }
    }
    int low = 0;
    while (before + count[low] <= k) {
      before += count[low];
      low++;
    }
    return ((high ^ 0x8000) << 16) | low;
  }

  /** An int whose signed order is the float's numeric order (for non-NaN values). */
  private static int sortable(float v) {
    int bits = Float.floatToRawIntBits(v);
    return bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
  }

  private static float value(int key) {
    return Float.intBitsToFloat(key >= 0 ? key : key ^ 0x7FFFFFFF);
  }
}
