/**
 * The {@code onnx} engine and the pure-Java ONNX exporter: {@link dev.psp.onnx.OnnxGraphBuilder}
 * implements {@link dev.psp.nn.TensorOps} by appending ONNX nodes, so running the single network
 * definition of {@link dev.psp.nn} once traces it; {@link dev.psp.onnx.OnnxExport} writes the encoder,
 * mapping and generator graphs of a checkpoint with a small protobuf writer (no ONNX or protobuf
 * library); {@link dev.psp.onnx.OnnxEngineProvider} registers the engine that runs those graphs on ONNX
 * Runtime. Configuration: {@code -Dpsp.onnx.threads} (intra-op threads per session).
 */
package dev.psp.onnx;
