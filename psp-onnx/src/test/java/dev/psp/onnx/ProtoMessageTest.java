package dev.psp.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The protobuf wire format and the builder's shape tracking. */
class ProtoMessageTest {
  static byte[] bytes(ProtoMessage m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.writeTo(out);
    assertThat(out.size()).isEqualTo(m.size());
    return out.toByteArray();
  }

  @Test
  void varintsFollowTheProtobufEncoding() throws Exception {
    assertThat(bytes(new ProtoMessage().varint(1, 150))).containsExactly(0x08, 0x96, 0x01);
    assertThat(bytes(new ProtoMessage().varint(1, 300))).containsExactly(0x08, 0xAC, 0x02);
    byte[] minusOne = bytes(new ProtoMessage().varint(1, -1));
    assertThat(minusOne).hasSize(11);
    assertThat(minusOne[10]).isEqualTo((byte) 0x01);
  }

  @Test
  void lengthDelimitedFieldsAndFloats() throws Exception {
    assertThat(bytes(new ProtoMessage().string(2, "testing")))
        .containsExactly(0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g');
    ProtoMessage inner = new ProtoMessage().varint(1, 150);
    assertThat(bytes(new ProtoMessage().message(3, inner))).containsExactly(0x1a, 0x03, 0x08, 0x96, 0x01);
    assertThat(bytes(new ProtoMessage().float32(2, 1.0f))).containsExactly(0x15, 0x00, 0x00, 0x80, 0x3f);
    ByteBuffer direct = ByteBuffer.allocateDirect(100_000);
    direct.put(99_999, (byte) 7);
    byte[] big = bytes(new ProtoMessage().bytes(9, direct));
    assertThat(big).hasSize(1 + 3 + 100_000);
    assertThat(big[big.length - 1]).isEqualTo((byte) 7);
  }

  @Test
  void theBuilderTracksStaticShapesWithADynamicBatch() {
    OnnxGraphBuilder g = new OnnxGraphBuilder(k -> null);
    String x = g.input("x", "batch", -1, 4, 8, 8);
    assertThat(g.shape(g.reshape(x, -1, 4, 64))).containsExactly(-1, 4, 64);
    assertThat(g.shape(g.permute(x, 0, 2, 3, 1))).containsExactly(-1, 8, 8, 4);
    assertThat(g.shape(g.mean(x, new int[] {2, 3}, true))).containsExactly(-1, 4, 1, 1);
    assertThat(g.shape(g.sum(x, new int[] {1}, false))).containsExactly(-1, 8, 8);
    assertThat(g.shape(g.slice(x, 1, 1, 3))).containsExactly(-1, 2, 8, 8);
    String w = g.constant(new float[6 * 4 * 9], 6, 4, 3, 3);
    assertThat(g.shape(g.conv2d(x, w, null, 2, 1))).containsExactly(-1, 6, 4, 4);
    String c = g.constant(new float[16], 1, 4, 2, 2);
    assertThat(g.shape(g.reshape(c, 2, -1))).containsExactly(2, 8);
    assertThat(g.shape(g.mul(x, g.constant(new float[4], 1, 4, 1, 1)))).containsExactly(-1, 4, 8, 8);
    assertThat(g.shape(g.matmul(g.constant(new float[6], 2, 3), g.constant(new float[12], 1, 3, 4))))
        .containsExactly(1, 2, 4);
    assertThatThrownBy(() -> g.add(x, g.constant(new float[3], 3)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not broadcast");
    assertThatThrownBy(() -> g.param("missing.weight"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.weight");
  }
}
