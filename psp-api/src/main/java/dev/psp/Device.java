package dev.psp;

import java.util.Locale;

/**
 * Where an engine runs a model: the CPU, or one GPU by index.
 *
 * @param type CPU or GPU
 * @param index the GPU index (0 for the CPU)
 */
public record Device(Type type, int index) {
  /** Kinds of device. */
  public enum Type {
    /** The host CPU (the default). */
    CPU,
    /** A CUDA GPU; needs engine natives built with CUDA. */
    GPU
  }

  /** Validates the index. */
  public Device {
    if (type == null) {
      throw new IllegalArgumentException("device type must not be null");
    }
    if (index < 0 || (type == Type.CPU && index != 0)) {
      throw new IllegalArgumentException("device index must be 0 for cpu and >= 0 for gpu, got " + index);
    }
  }

  /** The CPU. */
  public static Device cpu() {
    return new Device(Type.CPU, 0);
  }

  /** GPU number {@code index}. */
  public static Device gpu(int index) {
    return new Device(Type.GPU, index);
  }

  /**
   * Parses {@code cpu}, {@code gpu}, {@code gpu:1} or {@code cuda:1}.
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static Device parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("cpu")) {
      return cpu();
    }
    String[] parts = t.split(":", 2);
    if (parts[0].equals("gpu") || parts[0].equals("cuda")) {
      try {
        return gpu(parts.length == 2 ? Integer.parseInt(parts[1]) : 0);
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new IllegalArgumentException("unknown device '" + text + "'; use cpu, gpu, gpu:N or cuda:N");
  }

  @Override
  public String toString() {
    return type == Type.CPU ? "cpu" : "gpu:" + index;
  }
}
