package dev.psp.io;

import dev.psp.CheckpointFormatException;
import dev.psp.UnsafeCheckpointException;
import java.io.EOFException;
import java.io.IOException;
import java.util.zip.ZipException;

/** Builds the reader's exceptions so that every message names the file, the defect and the remedy. */
final class Failures {
  private static final String FETCH_AGAIN =
      "the file is incomplete, probably an interrupted download or copy: fetch it again";
  private static final String DAMAGED =
      "the file is damaged or is not a PyTorch checkpoint: fetch it again, or re-save it with torch.save";

  private Failures() {}

  /** The file ends before data it announces. */
  static CheckpointFormatException truncated(String file, String defect) {
    return new CheckpointFormatException(file + ": truncated: " + defect + "; " + FETCH_AGAIN);
  }

  /** The file's structure is inconsistent. */
  static CheckpointFormatException corrupt(String file, String defect) {
    return new CheckpointFormatException(file + ": " + defect + "; " + DAMAGED);
  }

  /** The file is well formed but uses a feature this reader does not support. */
  static CheckpointFormatException unsupported(String file, String defect, String remedy) {
    return new CheckpointFormatException(file + ": " + defect + "; " + remedy);
  }

  /** The file holds big-endian data. */
  static CheckpointFormatException bigEndian(String file) {
    return unsupported(file, "the checkpoint was saved on a big-endian machine",
        "load it in Python on a little-endian machine and save it again with torch.save");
  }

  /** The pickle names a global outside the allow-list. */
  static UnsafeCheckpointException unsafe(String file, String where, String global) {
    return new UnsafeCheckpointException(
        file + ": refused to load: " + where + " names the global '" + global + "', which is not on the"
            + " allow-list (tensors, storages, OrderedDict, torch.Size, torch.device, argparse.Namespace)."
            + " Nothing from the file was executed. A checkpoint that calls arbitrary code may be an attack:"
            + " only load files from sources you trust, and ask the author for a plain torch.save of the"
            + " model's state_dict");
  }

  /**
   * An I/O error while reading the file: data that ends early or fails to inflate is a defect of the
   * file; anything else is a problem of access to it.
   */
  static CheckpointFormatException io(String file, IOException e) {
    if (e instanceof EOFException) {
      return truncated(file, e.getMessage());
    }
    if (e instanceof ZipException) {
      return corrupt(file, "compressed data does not inflate (" + e.getMessage() + ")");
    }
    return new CheckpointFormatException(
        file + ": cannot read the file (" + e + "); check that it exists, is readable and is not being"
            + " changed while it is loaded",
        e);
  }
}
