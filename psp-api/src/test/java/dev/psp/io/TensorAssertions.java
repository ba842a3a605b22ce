package dev.psp.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

/** Bit-for-bit comparison of tensors. */
final class TensorAssertions {
  private TensorAssertions() {}

  /** Same dtype, same shape and the same bytes. */
  static void assertSameTensor(TensorData actual, TensorData expected, String what) {
    assertThat(actual.dtype()).as(what + " dtype").isEqualTo(expected.dtype());
    assertThat(actual.shape()).as(what + " shape").containsExactly(expected.shape());
    assertThat(bytes(actual)).as(what + " bytes").isEqualTo(bytes(expected));
  }

  static byte[] bytes(TensorData t) {
    ByteBuffer b = t.bytes();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }
}
