package dev.psp.io;

/**
 * The allow-list of Python globals a checkpoint's pickle may name, like torch's {@code weights_only}
 * unpickler. Storage classes such as {@code torch.FloatStorage} are allowed too; they are represented
 * by their {@link DType}.
 *
 * <p>Naming any other global fails before anything is built. None of these is ever "called": the
 * {@link Unpickler} builds the equivalent Java value itself.
 */
enum PickleGlobal {
  /** {@code collections.OrderedDict}: a {@code LinkedHashMap}. */
  ORDERED_DICT("collections", "OrderedDict"),
  /** {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])}. */
  REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2"),
  /** {@code torch._utils._rebuild_tensor(storage, offset, size, stride)}, written by torch before 1.0. */
  REBUILD_TENSOR("torch._utils", "_rebuild_tensor"),
  /** {@code torch._utils._rebuild_parameter(tensor, requires_grad, hooks)}: the tensor itself. */
  REBUILD_PARAMETER("torch._utils", "_rebuild_parameter"),
  /** {@code torch.Size(tuple)}: the tuple. */
  TORCH_SIZE("torch", "Size"),
  /** {@code torch.device('cuda:0')} or {@code torch.device('cuda', 0)}: the string {@code "cuda:0"}. */
  TORCH_DEVICE("torch", "device"),
  /** {@code argparse.Namespace}, as some training scripts save their options: a map of its attributes. */
  NAMESPACE("argparse", "Namespace");

  private final String module;
  private final String name;

  PickleGlobal(String module, String name) {
    this.module = module;
    this.name = name;
  }

  /** The allowed global {@code module.name}: a {@link PickleGlobal} or a storage {@link DType}, else null. */
  static Object lookup(String module, String name) {
    if (module.equals("torch")) {
      DType storage = DType.fromTorchStorage(name);
      if (storage != null) {
        return storage;
      }
    }
    for (PickleGlobal g : values()) {
      if (g.module.equals(module) && g.name.equals(name)) {
        return g;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return module + "." + name;
  }
}
