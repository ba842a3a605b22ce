package dev.psp.nn;

import dev.psp.ModelMismatchException;
import dev.psp.io.DType;
import dev.psp.io.TensorData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The state_dict an architecture expects, in the official order: every key with its shape, dtype,
 * kind (parameter or buffer) and initialisation.
 *
 * <p>Built by {@link Layer#declare}; used to validate a checkpoint against the architecture (every
 * missing, unexpected and mis-shaped key in one report), to list ONNX initializers and to create
 * fresh parameters for training. Immutable and thread-safe.
 */
public final class StateDictSpec {

  /** Whether a state_dict entry is a trainable parameter or a buffer ({@code register_buffer}). */
  public enum Kind {
    /** An {@code nn.Parameter}. */
    PARAMETER,
    /** A registered buffer (BatchNorm statistics, blur kernels, noise maps). */
    BUFFER
  }

  /** One state_dict entry: full key, shape, element type, kind and official initialisation. */
  public record Entry(String key, long[] shape, DType dtype, Kind kind, Init init) {
    /** Validates and copies the shape. */
    public Entry {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(dtype, "dtype");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(init, "init");
      shape = shape.clone();
      TensorData.numel(shape);
    }

    /** A copy of the shape. */
    @Override
    public long[] shape() {
      return shape.clone();
    }

    /** The number of elements. */
    public long numel() {
      return TensorData.numel(shape);
    }

    /** True for parameters. */
    public boolean isParameter() {
      return kind == Kind.PARAMETER;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e
          && e.key.equals(key)
          && Arrays.equals(e.shape, shape)
          && e.dtype == dtype
          && e.kind == kind
          && e.init.equals(init);
    }

    @Override
    public int hashCode() {
      return Objects.hash(key, Arrays.hashCode(shape), dtype, kind, init);
    }

    @Override
    public String toString() {
      return key + " " + Arrays.toString(shape) + " " + dtype + " " + kind + " " + init;
    }
  }

  private final List<Entry> entries;
  private final Map<String, Entry> byKey;

  private StateDictSpec(List<Entry> entries) {
    this.entries = List.copyOf(entries);
    Map<String, Entry> m = new LinkedHashMap<>();
    for (Entry e : entries) {
      m.put(e.key(), e);
    }
    this.byKey = Collections.unmodifiableMap(m);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The spec declared by {@code layers}, in order. */
  public static StateDictSpec of(Layer... layers) {
    Builder b = builder();
    for (Layer l : layers) {
      l.declare(b);
    }
    return b.build();
  }

  /** All entries in official state_dict order. */
  public List<Entry> entries() {
    return entries;
  }

  /** The keys in official state_dict order. */
  public List<String> keys() {
    return List.copyOf(byKey.keySet());
  }

  /** The entry for {@code key}, or null. */
  public Entry get(String key) {
    return byKey.get(key);
  }

  /** The number of entries. */
  public int size() {
    return entries.size();
  }

  /** Total number of parameter elements (what {@code sum(p.numel() for p in parameters())} gives). */
  public long parameterCount() {
    return entries.stream().filter(Entry::isParameter).mapToLong(Entry::numel).sum();
  }

  /** Total number of buffer elements. */
  public long bufferElementCount() {
    return entries.stream().filter(e -> !e.isParameter()).mapToLong(Entry::numel).sum();
  }

  /**
   * Compares a state_dict's key → shape map with this spec. Returns every problem, one line each:
   * missing keys and mis-shaped keys in spec order, then unexpected keys in the map's order. An
   * empty list means the shapes fit.
   */
  public List<String> validate(Map<String, long[]> shapes) {
    List<String> problems = new ArrayList<>();
    for (Entry e : entries) {
      long[] s = shapes.get(e.key());
      if (s == null) {
        problems.add("missing key " + e.key() + " " + Arrays.toString(e.shape));
      } else if (!Arrays.equals(s, e.shape)) {
        problems.add(
            "shape mismatch for " + e.key() + ": checkpoint " + Arrays.toString(s) + ", architecture "
                + Arrays.toString(e.shape));
      }
    }
    for (String k : shapes.keySet()) {
      if (!byKey.containsKey(k)) {
        problems.add("unexpected key " + k + " " + Arrays.toString(shapes.get(k)));
      }
    }
    return problems;
  }

  /**
   * Like {@link #validate} and also checks each tensor's dtype, and that the value of every
   * {@link Init.Fixed} entry (the blur/upsample kernels) equals the fixed value the network computes
   * with (within 1e-6), since the network never reads those stored buffers.
   */
  public List<String> validateTensors(Map<String, TensorData> tensors) {
    Map<String, long[]> shapes = new LinkedHashMap<>();
    tensors.forEach((k, t) -> shapes.put(k, t.shape()));
    List<String> problems = validate(shapes);
    for (Entry e : entries) {
      TensorData t = tensors.get(e.key());
      if (t == null || !Arrays.equals(t.shape(), e.shape)) {
        continue;
      }
      if (t.dtype() != e.dtype()) {
        problems.add("dtype mismatch for " + e.key() + ": checkpoint " + t.dtype() + ", architecture "
            + e.dtype());
        continue;
      }
      if (e.init() instanceof Init.Fixed f) {
        float[] want = f.values();
        float[] got = t.toFloatArray();
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
          worst = Math.max(worst, Math.abs((double) got[i] - want[i]));
        }
        if (!(worst <= 1e-6)) {
          problems.add("value mismatch for " + e.key() + ": differs from " + f.what()
              + " by up to " + worst + "; this network always computes with " + f.what());
        }
      }
    }
    return problems;
  }

  /**
   * Throws a {@link ModelMismatchException} listing every problem {@link #validateTensors} finds.
   *
   * @param context what is being checked, e.g. the checkpoint path, for the message
   */
  public void check(Map<String, TensorData> tensors, String context) throws ModelMismatchException {
    List<String> problems = validateTensors(tensors);
    if (!problems.isEmpty()) {
      throw new ModelMismatchException(context, problems);
    }
  }

  @Override
  public String toString() {
    return "StateDictSpec[" + entries.size() + " entries, " + parameterCount() + " parameters, "
        + bufferElementCount() + " buffer elements]";
  }

  /** Collects entries in declaration order; rejects duplicate keys. Not thread-safe. */
  public static final class Builder {
    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, Entry> byKey = new LinkedHashMap<>();

    private Builder() {}

    /** Adds a float32 parameter. */
    public Builder parameter(String key, Init init, long... shape) {
      return add(new Entry(key, shape, DType.FLOAT32, Kind.PARAMETER, init));
    }

    /** Adds a buffer. */
    public Builder buffer(String key, DType dtype, Init init, long... shape) {
      return add(new Entry(key, shape, dtype, Kind.BUFFER, init));
    }

    /** Adds everything {@code layer} declares. */
    public Builder add(Layer layer) {
      layer.declare(this);
      return this;
    }

    /** Adds one entry. */
    public Builder add(Entry e) {
      if (byKey.putIfAbsent(e.key(), e) != null) {
        throw new IllegalStateException("duplicate state_dict key " + e.key());
      }
      entries.add(e);
      return this;
    }

    /** The immutable spec. */
    public StateDictSpec build() {
      return new StateDictSpec(entries);
    }
  }
}
