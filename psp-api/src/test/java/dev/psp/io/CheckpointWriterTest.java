package dev.psp.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the writer writes, the reader reads back exactly (and torch.load reads it: checked by hand, see docs). */
class CheckpointWriterTest {
  private static Map<String, TensorData> stateDict() {
    Map<String, TensorData> sd = new LinkedHashMap<>();
    sd.put("encoder.input_layer.0.weight", TensorData.ofFloats(new float[] {1.5f, -2f, 3e-8f, Float.MAX_VALUE}, 2, 2));
    sd.put("encoder.input_layer.1.num_batches_tracked", TensorData.ofLongs(new long[] {40000}));
    sd.put("decoder.noises.noise_0", TensorData.ofFloats(new float[] {0.25f}, 1, 1, 1, 1));
    return sd;
  }

  @Test
  void pspCheckpointRoundTripsBitForBit(@TempDir Path dir) throws Exception {
    Map<String, Object> opts = new LinkedHashMap<>();
    opts.put("output_size", 256L);
    opts.put("learning_rate", 1e-4);
    opts.put("exp_dir", "café ✓");
    opts.put("train_decoder", false);
    opts.put("checkpoint_path", null);
    opts.put("big", BigInteger.ONE.shiftLeft(70));
    opts.put("neg", -70000L);
    opts.put("mixed", List.of(1L, "two", 3.0, true));
    Path f = dir.resolve("my_model.pt");
    TensorData avg = TensorData.ofFloats(new float[] {0.5f, 0.25f, -1f, 2f}, 2, 2);
    CheckpointWriter.writePsp(f, stateDict(), opts, avg);

    try (Checkpoint cp = CheckpointReader.read(f)) {
      Map<String, TensorData> sd = cp.stateDict();
      assertThat(sd.keySet()).containsExactlyElementsOf(stateDict().keySet());
      for (Map.Entry<String, TensorData> e : stateDict().entrySet()) {
        TensorData got = sd.get(e.getKey());
        assertThat(got.dtype()).isEqualTo(e.getValue().dtype());
        assertThat(got.shape()).isEqualTo(e.getValue().shape());
        assertThat(got.bytes()).isEqualTo(e.getValue().bytes());
      }
      assertThat(cp.opts()).containsExactlyEntriesOf(opts);
      assertThat(cp.latentAvg().orElseThrow().toFloatArray()).containsExactly(avg.toFloatArray());
    }
  }

  @Test
  void storagesAreStoredAnd64ByteAlignedUnderTheFileStem(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("aligned.pt");
    CheckpointWriter.writePsp(f, stateDict(), Map.of(), null);
    try (ZipFile z = new ZipFile(f.toFile()); FileChannel ch = FileChannel.open(f)) {
      List<String> names = z.stream().map(ZipEntry::getName).toList();
      assertThat(names).containsExactly("aligned/data.pkl", "aligned/data/0", "aligned/data/1", "aligned/data/2",
          "aligned/version");
      for (String n : names) {
        assertThat(z.getEntry(n).getMethod()).isEqualTo(ZipEntry.STORED);
      }
      // the local header of aligned/data/0: its data must start at a multiple of 64
      long offset = localHeaderOffset(ch, "aligned/data/0");
      ByteBuffer h = ByteBuffer.allocate(30).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      ch.read(h, offset);
      long dataStart = offset + 30 + (h.getShort(26) & 0xffff) + (h.getShort(28) & 0xffff);
      assertThat(dataStart % 64).isZero();
    }
    assertThat(Files.list(dir).toList()).containsExactly(f); // no temporary file left behind
  }

  @Test
  void identicalInputsGiveIdenticalFiles(@TempDir Path dir) throws Exception {
    CheckpointWriter.writePsp(dir.resolve("a.pt"), stateDict(), Map.of("x", 1L), null);
    CheckpointWriter.writePsp(dir.resolve("b.pt"), stateDict(), Map.of("x", 1L), null);
    byte[] a = Files.readAllBytes(dir.resolve("a.pt"));
    byte[] b = Files.readAllBytes(dir.resolve("b.pt"));
    // identical but for the folder name (a/ vs b/)
    assertThat(a.length).isEqualTo(b.length);
  }

  private static long localHeaderOffset(FileChannel ch, String name) throws Exception {
    long size = ch.size();
    ByteBuffer all = ByteBuffer.allocate((int) size).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    ch.read(all, 0);
    byte[] n = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i + 46 < size; i++) {
      if (all.getInt(i) == 0x02014b50 && (all.getShort(i + 28) & 0xffff) == n.length) {
        byte[] got = new byte[n.length];
        all.get(i + 46, got);
        if (java.util.Arrays.equals(got, n)) {
          return all.getInt(i + 42) & 0xffffffffL;
        }
      }
    }
    throw new AssertionError("no central directory entry " + name);
  }
}
