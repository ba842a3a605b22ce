/**
 * The single definition of every pSp network, written once against {@link dev.psp.nn.TensorOps} and
 * shared by all engines and by training. Class and field names follow the paper and the official
 * state_dict keys.
 */
package dev.psp.nn;
