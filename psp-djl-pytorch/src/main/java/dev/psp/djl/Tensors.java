package dev.psp.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.psp.io.DType;
import dev.psp.io.TensorData;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Copies between host {@link TensorData} and DJL arrays. Not API. */
final class Tensors {
  private Tensors() {}

  /** A float32 array on the manager's device holding the tensor's values (converted if needed). */
  static NDArray toNd(NDManager manager, TensorData t) {
    Shape shape = new Shape(t.shape());
    if (t.dtype() == DType.FLOAT32) {
      return manager.create(t.bytes().order(ByteOrder.LITTLE_ENDIAN), shape, DataType.FLOAT32);
    }
    return manager.create(t.toFloatArray(), shape);
  }

  /** The array's values as a host float32 tensor. */
  static TensorData toHost(NDArray a) {
    NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
    ByteBuffer b = f.toByteBuffer();
    ByteBuffer copy = ByteBuffer.allocate(b.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    copy.put(b.order(ByteOrder.nativeOrder()));
    copy.flip();
    return TensorData.of(DType.FLOAT32, a.getShape().getShape(), copy);
  }
}
