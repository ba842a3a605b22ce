package dev.psp.training;

import dev.psp.io.TensorData;
import java.util.Map;

/**
 * The tensors of a pSp model: its state_dict (keys {@code encoder.*} and {@code decoder.*}) and its
 * {@code latent_avg} (null when there is none).
 *
 * @param stateDict the state_dict, in any order
 * @param latentAvg {@code latent_avg}, or null
 */
public record PspWeights(Map<String, TensorData> stateDict, TensorData latentAvg) {}
