package dev.psp.io;

import java.util.Map;

/**
 * What a container format yields: the unpickled object graph, whose tensors are still {@link
 * TensorRef}s, and where each storage's bytes lie in the file.
 *
 * @param root the unpickled object
 * @param storages every storage the pickle names, by key; each region holds exactly its bytes
 */
record Contents(Object root, Map<String, FileRegion> storages) {}
