package dev.psp.onnx;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * The ONNX messages the exporter writes ({@code onnx/onnx.proto}: ModelProto, GraphProto, NodeProto,
 * AttributeProto, TensorProto, ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto,
 * StringStringEntryProto), built as {@link ProtoMessage}s with the field numbers of the ONNX schema.
 */
final class OnnxProtos {
  /** TensorProto.DataType FLOAT. */
  static final int FLOAT = 1;
  /** TensorProto.DataType INT64. */
  static final int INT64 = 7;

  // AttributeProto.AttributeType
  private static final int ATTR_FLOAT = 1;
  private static final int ATTR_INT = 2;
  private static final int ATTR_INTS = 7;

  private OnnxProtos() {}

  /** A TensorProto holding little-endian {@code raw} data (not copied). */
  static ProtoMessage tensor(String name, int dataType, long[] dims, ByteBuffer raw) {
    ProtoMessage t = new ProtoMessage();
    for (long d : dims) {
      t.varint(1, d); // dims
    }
    t.varint(2, dataType); // data_type
    t.string(8, name); // name
    t.bytes(9, raw); // raw_data
    return t;
  }

  /**
   * A ValueInfoProto for a tensor; dimensions of -1 become the symbolic dimension {@code dynamicDim}.
   */
  static ProtoMessage valueInfo(String name, int elemType, long[] shape, String dynamicDim) {
    ProtoMessage dims = new ProtoMessage();
    for (long d : shape) {
      ProtoMessage dim = new ProtoMessage();
      if (d < 0) {
        dim.string(2, dynamicDim); // dim_param
      } else {
        dim.varint(1, d); // dim_value
      }
      dims.message(1, dim); // TensorShapeProto.dim
    }
    ProtoMessage tensorType = new ProtoMessage().varint(1, elemType).message(2, dims);
    ProtoMessage type = new ProtoMessage().message(1, tensorType); // TypeProto.tensor_type
    return new ProtoMessage().string(1, name).message(2, type);
  }

  /** An int64 attribute. */
  static ProtoMessage attr(String name, long value) {
    return new ProtoMessage().string(1, name).varint(3, value).varint(20, ATTR_INT);
  }

  /** A float attribute. */
  static ProtoMessage attr(String name, float value) {
    return new ProtoMessage().string(1, name).float32(2, value).varint(20, ATTR_FLOAT);
  }

  /** An int64-list attribute. */
  static ProtoMessage attr(String name, long[] values) {
    ProtoMessage a = new ProtoMessage().string(1, name);
    for (long v : values) {
      a.varint(8, v);
    }
    return a.varint(20, ATTR_INTS);
  }

  /** A NodeProto of the default (ai.onnx) domain. An empty input name means "omitted". */
  static ProtoMessage node(String opType, String name, List<String> inputs, List<String> outputs,
      List<ProtoMessage> attributes) {
    ProtoMessage n = new ProtoMessage();
    for (String i : inputs) {
      n.string(1, i);
    }
    for (String o : outputs) {
      n.string(2, o);
    }
    n.string(3, name).string(4, opType);
    for (ProtoMessage a : attributes) {
      n.message(5, a);
    }
    return n;
  }

  /** A GraphProto. */
  static ProtoMessage graph(String name, List<ProtoMessage> nodes, List<ProtoMessage> initializers,
      List<ProtoMessage> inputs, List<ProtoMessage> outputs) {
    ProtoMessage g = new ProtoMessage();
    for (ProtoMessage n : nodes) {
      g.message(1, n);
    }
    g.string(2, name);
    for (ProtoMessage t : initializers) {
      g.message(5, t);
    }
    for (ProtoMessage i : inputs) {
      g.message(11, i);
    }
    for (ProtoMessage o : outputs) {
      g.message(12, o);
    }
    return g;
  }

  /** A ModelProto importing the default domain at {@code opset}, with metadata_props. */
  static ProtoMessage model(ProtoMessage graph, long irVersion, long opset, String producer,
      String producerVersion, String docString, Map<String, String> metadata) {
    ProtoMessage m = new ProtoMessage();
    m.varint(1, irVersion); // ir_version
    m.string(2, producer); // producer_name
    m.string(3, producerVersion); // producer_version
    m.string(6, docString); // doc_string
    m.message(7, graph); // graph
    m.message(8, new ProtoMessage().string(1, "").varint(2, opset)); // opset_import
    metadata.forEach((k, v) -> m.message(14, new ProtoMessage().string(1, k).string(2, v)));
    return m;
  }
}
