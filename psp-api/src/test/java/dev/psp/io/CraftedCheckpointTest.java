package dev.psp.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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

  private static void assertTensor(TensorData t, DType dtype, long... shape) {
    assertThat(t.dtype()).isEqualTo(dtype);
    assertThat(t.shape()).containsExactly(shape);
  }

  private static Path valid(String name) throws Exception {
    return Path.of(CraftedCheckpointTest.class.getResource("/pt/valid/" + name).toURI());
  }
}
