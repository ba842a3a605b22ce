package dev.psp.djl;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import dev.psp.internal.NativeLibraries;
import dev.psp.internal.Settings;
import java.util.Locale;
import java.util.Optional;

/**
 * The level below which libtorch's own log lines (c10 {@code LOG} and {@code TORCH_WARN}, written
 * straight to stderr) are dropped: its {@code FLAGS_caffe2_log_level} in {@code libc10}, set through
 * JNA once libtorch is loaded. The default keeps only errors, because on some CPUs libtorch prints
 * "Could not initialize NNPACK! Reason: Unsupported hardware." at every convolution (90 lines during
 * {@code psp demo} on one AVX-512 machine), which says nothing a user can act on: the engine does not
 * use NNPACK. {@code psp.native.warnings=true} ({@code PSP_NATIVE_WARNINGS}, or the CLI's
 * {@code --verbose}) keeps libtorch's default (warnings). Libtorch reads this variable only from
 * Python's start-up, so {@code TORCH_CPP_LOG_LEVEL} has no effect through DJL.
 */
final class NativeLog {
  static final int WARNING = 1;
  static final int ERROR = 2;
  private static final System.Logger LOG = System.getLogger(NativeLog.class.getName());

  private NativeLog() {}

  /** The level the settings ask for. */
  static int wantedLevel() {
    String v = Settings.get("native.warnings").orElse("false").toLowerCase(Locale.ROOT);
    return v.equals("true") || v.equals("1") || v.equals("yes") ? WARNING : ERROR;
  }

  /** Applies {@link #wantedLevel()}; returns the level set, or empty (logged at debug) if libc10 was not found. */
  static Optional<Integer> apply() {
    try {
      int wanted = wantedLevel();
      level().setInt(0, wanted);
      return Optional.of(wanted);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "libtorch's log level is left alone: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** The current level, or empty if libc10 was not found. */
  static Optional<Integer> current() {
    try {
      return Optional.of(level().getInt(0));
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** {@code FLAGS_caffe2_log_level} of the libc10 already loaded (its file, so no second copy is loaded). */
  private static Pointer level() {
    NativeLibrary c10 = NativeLibrary.getInstance(NativeLibraries.loadedPath("libc10").orElse("c10"));
    return c10.getGlobalVariableAddress("FLAGS_caffe2_log_level");
  }
}
