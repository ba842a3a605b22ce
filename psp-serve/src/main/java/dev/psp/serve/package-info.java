/**
 * pSp over HTTP: {@link dev.psp.serve.PspServer} serves translate, encode, decode, mix, interpolate and
 * align as a JSON and binary API described by {@code /openapi.json}, with a web page at {@code /},
 * health at {@code /health} and Prometheus metrics at {@code /metrics}.
 *
 * <p>Configure it with {@link dev.psp.serve.ServeConfig}. All model work of a server runs on one
 * inference thread ({@link dev.psp.serve.InferenceQueue}): libtorch's OpenMP threads spin, so two
 * inference threads on a small machine run many times slower than one. Translate and encode requests
 * for the same model that arrive within a short window run as one batch; the queue is bounded, so an
 * overloaded server answers 503 with {@code Retry-After} instead of queuing without end. Errors are RFC
 * 7807 problem details whose {@code detail} is the message the {@code psp} command prints.
 *
 * <p>Only {@link dev.psp.serve.PspServer} and {@link dev.psp.serve.ServeConfig} are API; the other
 * classes of this package are package-private parts of the server. The engine is the application's
 * choice: put {@code psp-djl-pytorch} or {@code psp-onnx} on the class path.
 */
package dev.psp.serve;
