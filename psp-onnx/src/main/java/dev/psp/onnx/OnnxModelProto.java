package dev.psp.onnx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import dev.psp.io.TensorData;

/**
 * A traced ONNX model ready to be written: the serialised form of one {@code ModelProto}. Weights are
 * held by reference to the checkpoint tensors and streamed when written. Immutable and thread-safe.
 */
public final class OnnxModelProto {
  /** Protobuf messages are limited to 2 GiB; larger models would need ONNX external data. */
  public static final long MAX_SIZE = Integer.MAX_VALUE;

  private final ProtoMessage model;
  private final String graphName;
  private final Map<String, TensorData> weightInputs;

  OnnxModelProto(ProtoMessage model, String graphName, Map<String, TensorData> weightInputs) {
    this.model = model;
    this.graphName = graphName;
    this.weightInputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(weightInputs));
    if (model.size() > MAX_SIZE) {
      throw new IllegalStateException("the ONNX graph " + graphName + " takes " + model.size()
          + " bytes, over the 2 GiB protobuf limit; export its weights as external data instead");
    }
  }

  /**
   * The weights that are graph inputs (by input name), which every run must be given; empty for a
   * self-contained model.
   */
  public Map<String, TensorData> weightInputs() {
    return weightInputs;
  }

  /** The encoded size in bytes. */
  public long size() {
    return model.size();
  }

  /** The graph's name ({@code encoder}, {@code mapping}, {@code generator}). */
  public String graphName() {
    return graphName;
  }

  /** Streams the model to {@code out} (not closed). */
  public void writeTo(OutputStream out) throws IOException {
    model.writeTo(out);
  }

  /** Writes the model to a file, replacing it atomically. */
  public void writeTo(Path file) throws IOException {
    dev.psp.internal.AtomicFiles.write(file, model::writeTo);
  }

  /** The model as one byte array, for small models and in-memory sessions. */
  public byte[] toByteArray() {
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) size());
    try {
      model.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public String toString() {
    return "OnnxModelProto(" + graphName + ", " + size() + " bytes)";
  }
}
