package dev.psp.io;

/**
 * The elements {@code [offset, offset + numel)} of the storage saved under {@code key}, as a
 * persistent id in the pickle names them. The offset is non-zero only for the storage views of the
 * legacy format.
 */
record StorageRef(String key, DType dtype, long offset, long numel) {}
