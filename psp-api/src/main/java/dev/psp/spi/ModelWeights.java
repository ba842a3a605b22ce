package dev.psp.spi;

import dev.psp.ModelConfig;
import dev.psp.io.TensorData;
import java.util.Map;

/**
 * What an engine needs to build a model: the configuration and the official state_dict (keys with
 * their {@code encoder.}/{@code decoder.} prefixes), already validated against the architecture.
 *
 * @param config architecture and options
 * @param stateDict tensors by official key, in file order
 */
public record ModelWeights(ModelConfig config, Map<String, TensorData> stateDict) {}
