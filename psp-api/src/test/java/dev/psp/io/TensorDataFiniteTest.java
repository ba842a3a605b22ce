package dev.psp.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** {@link TensorData#firstNonFinite()} in every floating dtype, and never for integers. */
class TensorDataFiniteTest {
  private static TensorData halfs(DType t, short... v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (short s : v) {
      b.putShort(s);
    }
    return TensorData.of(t, new long[] {v.length}, b.flip());
  }

  @Test
  void findsTheFirstNanOrInfinity() {
    assertThat(TensorData.ofFloats(new float[] {1, 2, 3}, 3).firstNonFinite()).isEqualTo(-1);
    assertThat(TensorData.ofFloats(new float[] {1, Float.NaN, Float.POSITIVE_INFINITY}, 3).firstNonFinite()).isEqualTo(1);
    assertThat(TensorData.ofFloats(new float[] {0, 0, 0, Float.NEGATIVE_INFINITY}, 2, 2).firstNonFinite()).isEqualTo(3);
    ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1e308).putDouble(Double.NaN).flip();
    assertThat(TensorData.of(DType.FLOAT64, new long[] {2}, d).firstNonFinite()).isEqualTo(1);
    // float16: 0x3c00 = 1, 0x7bff = 65504 (largest finite), 0x7c00 = +inf, 0xfe00 = NaN
    assertThat(halfs(DType.FLOAT16, (short) 0x3c00, (short) 0x7bff).firstNonFinite()).isEqualTo(-1);
    assertThat(halfs(DType.FLOAT16, (short) 0x3c00, (short) 0xfe00).firstNonFinite()).isEqualTo(1);
    // bfloat16: 0x3f80 = 1, 0x7f7f largest finite, 0x7f80 = +inf
    assertThat(halfs(DType.BFLOAT16, (short) 0x7f7f, (short) 0x7f80).firstNonFinite()).isEqualTo(1);
    assertThat(TensorData.ofLongs(new long[] {Long.MAX_VALUE}, 1).firstNonFinite()).isEqualTo(-1);
  }
}
