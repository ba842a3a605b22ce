package dev.psp.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes PyTorch {@code .pt} files in torch's zip format ({@code <stem>/data.pkl}, storages in
 * {@code <stem>/data/<k>} stored uncompressed and 64-byte aligned, {@code <stem>/version}), so
 * {@code torch.load} and the official pSp code read what the SDK writes.
 *
 * <p>Values may be {@link Map} (a dict), {@link OrderedDict}, {@link List}, {@link Tuple}, String,
 * integral numbers, floating numbers, Boolean, null and {@link TensorData}. Files are written
 * atomically: a temporary file in the same folder, then a rename, so a crash never leaves a broken file.
 */
public final class CheckpointWriter {
  private static final int ALIGN = 64;

  private CheckpointWriter() {}

  /**
   * A Python {@code collections.OrderedDict} (state_dicts are OrderedDicts).
   *
   * @param entries the entries, in order
   */
  public record OrderedDict(Map<?, ?> entries) {}

  /**
   * A Python tuple.
   *
   * @param items the elements
   */
  public record Tuple(List<?> items) {}

  /**
   * Writes an official-format pSp checkpoint: {@code {'state_dict': OrderedDict, 'opts': dict,
   * 'latent_avg': tensor}} ({@code latent_avg} only when given).
   */
  public static void writePsp(Path file, Map<String, TensorData> stateDict, Map<String, ?> opts,
      TensorData latentAvg) throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("state_dict", new OrderedDict(stateDict));
    root.put("opts", opts);
    if (latentAvg != null) {
      root.put("latent_avg", latentAvg);
    }
    write(file, root);
  }

  /** Writes any supported object graph as a torch zip checkpoint. */
  public static void write(Path file, Object root) throws IOException {
    Path abs = file.toAbsolutePath();
    String stem = abs.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    if (stem.isEmpty()) {
      stem = "archive";
    }
    List<TensorData> storages = new ArrayList<>();
    byte[] pickle = new PickleWriter(t -> {
      storages.add(t);
      return Integer.toString(storages.size() - 1);
    }).pickle(root);
    String folder = stem;
    dev.psp.internal.AtomicFiles.write(abs, out -> {
      try (CountingStream counter = new CountingStream(out); ZipOutputStream zip = new ZipOutputStream(counter)) {
        zip.setLevel(0);
        putStored(zip, counter, folder + "/data.pkl", ByteBuffer.wrap(pickle));
        for (int k = 0; k < storages.size(); k++) {
          putStored(zip, counter, folder + "/data/" + k, storages.get(k).bytes());
        }
        putStored(zip, counter, folder + "/version", ByteBuffer.wrap("3\n".getBytes(StandardCharsets.US_ASCII)));
      }
    });
  }

  private static void putStored(ZipOutputStream zip, CountingStream counter, String name, ByteBuffer data)
      throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setTime(315532800000L + 86400000L); // a fixed DOS date: identical inputs give identical files
    CRC32 crc = new CRC32();
    crc.update(data.duplicate());
    e.setCrc(crc.getValue());
    e.setSize(data.remaining());
    e.setCompressedSize(data.remaining());
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    long headerEnd = counter.count + 30 + nameBytes.length + 4;
    int pad = (int) ((ALIGN - headerEnd % ALIGN) % ALIGN);
    byte[] extra = new byte[4 + pad];
    extra[0] = 'F';
    extra[1] = 'B';
    extra[2] = (byte) (pad & 0xff);
    extra[3] = (byte) (pad >> 8);
    e.setExtra(extra);
    zip.putNextEntry(e);
    byte[] chunk = new byte[1 << 16];
    ByteBuffer b = data.duplicate();
    while (b.hasRemaining()) {
      int n = Math.min(chunk.length, b.remaining());
      b.get(chunk, 0, n);
      zip.write(chunk, 0, n);
    }
    zip.closeEntry();
  }

  /** Counts bytes so entries can be aligned. */
  private static final class CountingStream extends FilterOutputStream {
    long count;

    CountingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
