package dev.psp.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Valid files that the fixtures do not cover, from {@code pt/valid/} (written by {@code
 * src/test/python/make_test_checkpoints.py}): every dtype, pickle protocol 4, Parameters, an
 * argparse.Namespace with torch.device and torch.Size, legacy storage views and Zip64 records.
 */
class CraftedCheckpointTest {
  @Test
  void readsEveryDtypeAndTheTorchValuesOfAProtocol4Pickle() throws Exception {
    try (Checkpoint ckpt = CheckpointReader.read(valid("dtypes_namespace_protocol4.pt"))) {
      Map<String, TensorData> w = ckpt.stateDict();
      assertThat(w.keySet()).containsExactly("f16", "bf16", "i32", "i16", "i8", "u8", "flag", "param");
      assertTensor(w.get("f16"), DType.FLOAT16, 3);
      assertThat(w.get("f16").toFloatArray()).containsExactly(1f, -2.5f, 65504f);
      assertTensor(w.get("bf16"), DType.BFLOAT16, 3);
      assertThat(w.get("bf16").toFloatArray()).containsExactly(1f, -2.5f, 0x1p100f);
      assertTensor(w.get("i32"), DType.INT32, 2, 2);
      assertThat(w.get("i32").toLongArray()).containsExactly(Integer.MIN_VALUE, 7, 0, Integer.MAX_VALUE);
      assertTensor(w.get("i16"), DType.INT16, 2);
      assertThat(w.get("i16").toLongArray()).containsExactly(Short.MIN_VALUE, Short.MAX_VALUE);
      assertTensor(w.get("i8"), DType.INT8, 2);
      assertThat(w.get("i8").toLongArray()).containsExactly(-128, 127);
      assertTensor(w.get("u8"), DType.UINT8, 2);
      assertThat(w.get("u8").toLongArray()).containsExactly(0, 255);
      assertTensor(w.get("flag"), DType.BOOL, 3);
      assertThat(w.get("flag").toLongArray()).containsExactly(1, 0, 1);
      assertTensor(w.get("param"), DType.FLOAT32, 2, 3);
      assertThat(w.get("param").toFloatArray()).containsExactly(0f, 1f, 2f, 3f, 4f, 5f);

      Map<String, Object> opts = ckpt.opts();
      assertThat(opts).containsExactly(Map.entry("lr", 0.5), Map.entry("device", "cuda:0"),
          Map.entry("size", List.of(2L, 3L)), Map.entry("pair", List.of(1L, "x")), Map.entry("cpu", "cpu"));
      @SuppressWarnings("unchecked")
      List<Object> size = (List<Object>) opts.get("size");
      assertThatThrownBy(() -> size.add(4L)).as("a tuple is unmodifiable")
          .isInstanceOf(UnsupportedOperationException.class);
      assertThat(ckpt.latentAvg()).as("latent_avg None").isEmpty();
    }
  }

  @Test
  void resolvesLegacyStorageViews() throws Exception {
    try (Checkpoint ckpt = CheckpointReader.read(valid("legacy_storage_view.pt"))) {
      Map<String, TensorData> w = ckpt.stateDict();
      assertThat(w.get("whole").toFloatArray()).containsExactly(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f);
      assertTensor(w.get("window"), DType.FLOAT32, 2, 2);
      assertThat(w.get("window").toFloatArray()).as("view at 2, tensor offset 1").containsExactly(3f, 4f, 5f, 6f);
    }
  }

  @Test
  void readsZip64Records() throws Exception {
    try (Checkpoint ckpt = CheckpointReader.read(valid("zip64.pt"))) {
      assertThat(ckpt.stateDict().get("w").toFloatArray()).containsExactly(1f, 2f, 3f, 4f);
      assertThat(ckpt.opts()).containsExactly(Map.entry("n", 1L));
    }
  }

  @Test
  void readsLargeStoragesAcrossReadChunksAndBatches(@TempDir Path tmp) throws Exception {
    // 3 MiB + 20 bytes (several 1 MiB reads), one storage larger than a batch, then a small one.
    int[] sizes = {3 * (1 << 20) / 4 + 5, StorageLoader.BATCH_BYTES / 4 + 7, 11};
    Path file = tmp.resolve("large.pt");
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      stored(zip, "large/data.pkl", stateDictPickle(sizes));
      for (int s = 0; s < sizes.length; s++) {
        ByteBuffer values = ByteBuffer.allocate(4 * sizes[s]).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < sizes[s]; i++) {
          values.putFloat(i + 0.25f * s);
        }
        stored(zip, "large/data/" + s, values.array());
      }
    }
    try (Checkpoint ckpt = CheckpointReader.read(file)) {
      for (int s = 0; s < sizes.length; s++) {
        float[] w = ckpt.stateDict().get("w" + s).toFloatArray();
        assertThat(w).hasSize(sizes[s]);
        for (int i = 0; i < w.length; i += i < 10 ? 1 : 4099) {
          assertThat(w[i]).as("w%d[%d]", s, i).isEqualTo(i + 0.25f * s);
        }
        assertThat(w[w.length - 1]).isEqualTo(w.length - 1 + 0.25f * s);
      }
    }
  }

  /**
   * {'state_dict': OrderedDict(w0=..., w1=..., ...)}, as torch.save pickles it: tensor {@code wi} is
   * a float32 vector of {@code sizes[i]} elements in storage {@code 'i'}.
   */
  private static byte[] stateDictPickle(int... sizes) throws IOException {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.write(new byte[] {(byte) 0x80, 2, '}'});
    unicode(p, "state_dict");
    p.write("ccollections\nOrderedDict\n)R(".getBytes(StandardCharsets.US_ASCII));
    for (int s = 0; s < sizes.length; s++) {
      unicode(p, "w" + s);
      p.write("ctorch._utils\n_rebuild_tensor_v2\n((".getBytes(StandardCharsets.US_ASCII));
      unicode(p, "storage");
      p.write("ctorch\nFloatStorage\n".getBytes(StandardCharsets.US_ASCII));
      unicode(p, Integer.toString(s));
      unicode(p, "cpu");
      binint(p, sizes[s]);
      p.write("tQK\0".getBytes(StandardCharsets.US_ASCII)); // TUPLE, BINPERSID, offset 0
      binint(p, sizes[s]);
      p.write(new byte[] {(byte) 0x85, 'K', 1, (byte) 0x85, (byte) 0x89}); // (n,), (1,), False
      p.write("ccollections\nOrderedDict\n)RtR".getBytes(StandardCharsets.US_ASCII));
    }
    p.write("us.".getBytes(StandardCharsets.US_ASCII)); // SETITEMS, SETITEM, STOP
    return p.toByteArray();
  }

  private static void unicode(ByteArrayOutputStream p, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    p.write('X');
    p.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
    p.writeBytes(b);
  }

  private static void binint(ByteArrayOutputStream p, int v) {
    p.write('J');
    p.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
  }

  private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
    ZipEntry e = new ZipEntry(name);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    e.setCrc(crc.getValue());
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }

  private static void assertTensor(TensorData t, DType dtype, long... shape) {
    assertThat(t.dtype()).isEqualTo(dtype);
    assertThat(t.shape()).containsExactly(shape);
  }

  private static Path valid(String name) throws Exception {
    return Path.of(CraftedCheckpointTest.class.getResource("/pt/valid/" + name).toURI());
  }
}
