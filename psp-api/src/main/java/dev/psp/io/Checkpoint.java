package dev.psp.io;

import dev.psp.CheckpointFormatException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An open PyTorch {@code .pt} file, as returned by {@link CheckpointReader#read}: its object graph
 * and convenient access to the parts of a pSp checkpoint ({@code state_dict}, {@code opts}, {@code
 * latent_avg}).
 *
 * <p>The structure was read and checked when the file was opened; tensor bytes are read on first
 * access, each storage once (in a direct buffer of its own by default; see {@code StorageLoader}
 * for {@code psp.io.storage}), and kept until {@link #close()}. Tensors that share a storage in the
 * file share memory when they are contiguous views of it; other views are copied into C order.
 * Returned objects stay valid after {@code close()}; a tensor keeps its storage in memory.
 *
 * <p>Thread-safe.
 */
public final class Checkpoint implements AutoCloseable {
  private final Path path;
  private final Object root;
  private FileChannel channel;
  private GraphResolver resolver;

  Checkpoint(Path path, FileChannel channel, Contents contents, StorageMode mode) {
    this.path = path;
    this.channel = channel;
    this.root = contents.root();
    this.resolver = new GraphResolver(path.toString(), new StorageLoader(channel, contents.storages(), mode));
  }

  /** The file this checkpoint was read from. */
  public Path path() {
    return path;
  }

  /**
   * The whole unpickled object, with every tensor read. Python values map to Java as follows: dict,
   * OrderedDict and argparse.Namespace to {@code LinkedHashMap<Object, Object>} (in order), list to
   * {@code ArrayList}, tuple and torch.Size to an unmodifiable {@code List}, str and torch.device to
   * {@code String}, int to {@code Long} ({@code BigInteger} beyond 64 bits), float to {@code Double},
   * bool to {@code Boolean}, None to {@code null}, bytes to {@code byte[]}, tensor and Parameter to
   * {@link TensorData}. Containers are mutable and shared with the other accessors.
   */
  public synchronized Object root() throws CheckpointFormatException {
    return resolve(root);
  }

  /**
   * The value under {@code key} of the root dict, resolved alone (tensors elsewhere in the file are
   * not read); empty when the root is not a dict or has no such key.
   */
  public synchronized Optional<Object> get(String key) throws CheckpointFormatException {
    Object raw = rawRoot() instanceof Map<?, ?> top ? top.get(key) : null;
    return raw == null ? Optional.empty() : Optional.ofNullable(resolve(raw));
  }

  /**
   * The model weights, in file order: the map under the root's {@code 'state_dict'} key, or the root
   * itself when it is a map of tensors (a file written by {@code torch.save(model.state_dict())}).
   *
   * @throws CheckpointFormatException if there is no such map, or one of its values is not a tensor
   */
  public synchronized Map<String, TensorData> stateDict() throws CheckpointFormatException {
    Object raw = rawRoot();
    if (!(raw instanceof Map<?, ?> top)) {
      throw format("the root object is " + Unpickler.describe(raw) + ", not a dict holding a state_dict");
    }
    if (top.containsKey("state_dict")) {
      raw = top.get("state_dict");
    } else if (!top.values().stream().allMatch(v -> v instanceof TensorRef)) {
      throw format("the root dict has no 'state_dict' entry and is not itself a map of tensors (its keys: "
          + keys(top) + ")");
    }
    if (!(resolve(raw) instanceof Map<?, ?> weights)) {
      throw format("'state_dict' is " + Unpickler.describe(raw) + ", not a dict of tensors");
    }
    Map<String, TensorData> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : weights.entrySet()) {
      if (!(e.getKey() instanceof String key) || !(e.getValue() instanceof TensorData t)) {
        throw format("state_dict entry " + Unpickler.describe(e.getKey()) + " holds "
            + Unpickler.describe(e.getValue()) + " instead of a tensor");
      }
      out.put(key, t);
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The training options saved under the root's {@code 'opts'} key, in file order; empty when there
   * is none (or it is None), as in a plain state_dict file.
   *
   * @throws CheckpointFormatException if {@code opts} is not a dict (or Namespace) with string keys
   */
  public synchronized Map<String, Object> opts() throws CheckpointFormatException {
    Object raw = rawRoot() instanceof Map<?, ?> top ? top.get("opts") : null;
    if (raw == null) {
      return Map.of();
    }
    if (!(resolve(raw) instanceof Map<?, ?> opts)) {
      throw format("'opts' is " + Unpickler.describe(raw) + ", not a dict");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : opts.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw format("'opts' has the key " + Unpickler.describe(e.getKey()) + ", which is not a string");
      }
      out.put(key, e.getValue());
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The average latent code saved under the root's {@code 'latent_avg'} key: present only in
   * checkpoints trained with {@code start_from_latent_avg}; shape {@code [n_styles, 512]} or {@code
   * [512]}.
   *
   * @throws CheckpointFormatException if {@code latent_avg} is present but not a tensor
   */
  public synchronized Optional<TensorData> latentAvg() throws CheckpointFormatException {
    Object raw = rawRoot() instanceof Map<?, ?> top ? top.get("latent_avg") : null;
    if (raw == null) {
      return Optional.empty();
    }
    if (!(resolve(raw) instanceof TensorData t)) {
      throw format("'latent_avg' is " + Unpickler.describe(raw) + ", not a tensor");
    }
    return Optional.of(t);
  }

  /**
   * Closes the file and drops the reader's references to tensor data. Idempotent. An error while
   * closing is ignored: the file was only read, so nothing can be lost.
   */
  @Override
  public synchronized void close() {
    if (channel == null) {
      return;
    }
    resolver = null;
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing was written; the descriptor is released either way.
    }
    channel = null;
  }

  /** The unpickled root, still holding {@link TensorRef}s; fails once the checkpoint is closed. */
  private Object rawRoot() {
    if (channel == null) {
      throw new IllegalStateException(path + ": the checkpoint is closed; read it again");
    }
    return root;
  }

  private Object resolve(Object raw) throws CheckpointFormatException {
    rawRoot();
    try {
      return resolver.resolve(raw);
    } catch (IOException e) {
      throw Failures.io(path.toString(), e);
    }
  }

  private CheckpointFormatException format(String defect) {
    return Failures.unsupported(path.toString(), defect,
        "this does not look like a pSp checkpoint or a state_dict saved with torch.save");
  }

  private static String keys(Map<?, ?> map) {
    List<String> keys = new ArrayList<>();
    for (Object k : map.keySet()) {
      if (keys.size() == 8) {
        keys.add("...");
        break;
      }
      keys.add(Unpickler.describe(k));
    }
    return String.join(", ", keys);
  }
}
