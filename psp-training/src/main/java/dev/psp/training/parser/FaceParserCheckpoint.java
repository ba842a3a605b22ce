package dev.psp.training.parser;

import dev.psp.CheckpointFormatException;
import dev.psp.io.Checkpoint;
import dev.psp.io.CheckpointReader;
import dev.psp.io.CheckpointWriter;
import dev.psp.io.TensorData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained {@link FaceParser} as a torch checkpoint: {@code {"state_dict": OrderedDict, "args":
 * {"sdk_face_parser_size", "sdk_face_parser_width", "sdk_step"}}}, written by {@code psp
 * train-parser} and read by the {@code sdk_parser} option of {@code sdk_parser_lambda} and {@code
 * sdk_parser_labels_lambda}.
 *
 * @param parser the network the weights fit
 * @param step the training steps taken
 * @param stateDict the weights, validated against the network
 */
public record FaceParserCheckpoint(FaceParser parser, long step, Map<String, TensorData> stateDict) {

  /** Validates the weights against the network. */
  public FaceParserCheckpoint {
    stateDict = Collections.unmodifiableMap(new LinkedHashMap<>(stateDict));
    List<String> problems = parser.stateDictSpec().validateTensors(stateDict);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("the weights do not fit " + parser + ": "
          + String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
    }
  }

  /** Writes the checkpoint atomically. */
  public void write(Path file) throws IOException {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("sdk_face_parser_size", (long) parser.size());
    args.put("sdk_face_parser_width", (long) parser.width());
    args.put("sdk_step", step);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("state_dict", new CheckpointWriter.OrderedDict(stateDict));
    root.put("args", args);
    CheckpointWriter.write(file, root);
  }

  /**
   * Reads a checkpoint written by {@link #write}.
   *
   * @throws CheckpointFormatException if the file is not a readable torch checkpoint
   * @throws IllegalArgumentException if it is not a face parser's, naming what is missing or does not fit
   */
  public static FaceParserCheckpoint read(Path file) throws CheckpointFormatException {
    try (Checkpoint c = CheckpointReader.read(file)) {
      if (!(c.root() instanceof Map<?, ?> root) || !(root.get("args") instanceof Map<?, ?> args)
          || !(args.get("sdk_face_parser_size") instanceof Number size)
          || !(args.get("sdk_face_parser_width") instanceof Number width)) {
        throw new IllegalArgumentException(file + " is not a face parser checkpoint (no 'args' with"
            + " sdk_face_parser_size and sdk_face_parser_width); make one with psp train-parser");
      }
      if (!(root.get("state_dict") instanceof Map<?, ?> sd)) {
        throw new IllegalArgumentException(file + ": no 'state_dict'");
      }
      Map<String, TensorData> weights = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : sd.entrySet()) {
        if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof TensorData t)) {
          throw new IllegalArgumentException(file + ": 'state_dict' holds a non-tensor entry " + e.getKey());
        }
        weights.put(k, t);
      }
      long step = args.get("sdk_step") instanceof Number n ? n.longValue() : 0;
      try {
        return new FaceParserCheckpoint(new FaceParser(size.intValue(), width.intValue()), step, weights);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
      }
    }
  }
}
