package dev.psp.io;

import dev.psp.CheckpointFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads PyTorch {@code .pt} files written by {@code torch.save}, in pure Java and safely.
 *
 * <p>Both container formats are read: the zip format of torch 1.6 and later, and the older legacy
 * format. The pickle inside is interpreted like torch's {@code weights_only=True} loader: only
 * tensors, storages, {@code collections.OrderedDict}, {@code torch.Size}, {@code torch.device} and
 * {@code argparse.Namespace} may be named. Any other global (such as {@code os.system}) fails with an
 * {@link dev.psp.UnsafeCheckpointException} before anything is built; nothing in the file is ever
 * executed. Every length in the file is checked against the file size before it is used.
 *
 * <p>Limits: tensors and storages up to 2 GiB each; float32, float64, float16, bfloat16, int64,
 * int32, int16, int8, uint8 and bool elements; little-endian data; pickles up to 64 MiB.
 *
 * <p>Stateless and thread-safe.
 *
 * <pre>{@code
 * try (Checkpoint ckpt = CheckpointReader.read(Path.of("psp_ffhq_encode.pt"))) {
 *   Map<String, TensorData> weights = ckpt.stateDict();
 *   Map<String, Object> opts = ckpt.opts();
 * }
 * }</pre>
 */
public final class CheckpointReader {
  private CheckpointReader() {}

  /**
   * Opens a checkpoint and reads its structure; tensor data is read when first accessed.
   *
   * @throws dev.psp.UnsafeCheckpointException if the pickle names a global outside the allow-list
   * @throws CheckpointFormatException if the file cannot be read, is truncated or malformed, or uses a
   *     feature this reader does not support; the message names the file and what to do
   */
  public static Checkpoint read(Path file) throws CheckpointFormatException {
    return read(file, StorageMode.fromSettings());
  }

  /**
   * Opens a checkpoint whose tensor data will be read as {@code mode} says (rather than as the
   * {@code psp.io.storage} setting says): e.g. {@link StorageMode#MMAP} to inspect a file without
   * reading all of it.
   *
   * @throws CheckpointFormatException as {@link #read(Path)}
   */
  public static Checkpoint read(Path file, StorageMode mode) throws CheckpointFormatException {
    String name = file.toString();
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
      long size = channel.size();
      Contents contents = switch (format(channel, size, name)) {
        case ZIP -> ZipContainer.read(channel, size, name);
        case LEGACY -> LegacyContainer.read(channel, size, name);
      };
      Checkpoint checkpoint = new Checkpoint(file, channel, contents, mode);
      channel = null;
      return checkpoint;
    } catch (IOException e) {
      throw Failures.io(name, e);
    } finally {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // The read already failed; that failure is the one to report.
        }
      }
    }
  }

  private enum Format { ZIP, LEGACY }

  private static Format format(FileChannel channel, long size, String name)
      throws IOException, CheckpointFormatException {
    if (size == 0) {
      throw Failures.truncated(name, "the file is empty (0 bytes)");
    }
    ByteBuffer head = FileRegion.readAt(channel, 0, (int) Math.min(size, 4));
    int first = head.get(0) & 0xff;
    if (size >= 4 && head.getInt(0) == 0x04034b50) {
      return Format.ZIP;
    }
    if (first == 0x80) {
      return Format.LEGACY;
    }
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < head.limit(); i++) {
      hex.append(String.format("%02x ", head.get(i)));
    }
    throw Failures.corrupt(name, "the file starts with bytes " + hex.toString().trim()
        + ", neither a zip archive ('PK') nor a pickle (0x80)");
  }
}
