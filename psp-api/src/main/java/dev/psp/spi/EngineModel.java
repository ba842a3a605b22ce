package dev.psp.spi;

import dev.psp.OutputSize;
import dev.psp.io.TensorData;
import java.util.List;

/**
 * One pSp model loaded by an engine: the networks of {@link dev.psp.nn} run on that engine.
 *
 * <p>These are the engine's primitive calls; the pSp forward logic that combines them (latent_avg,
 * style mixing, noise drawing) lives once in psp-api. Inputs and outputs are host float32 tensors.
 * Implementations must allow concurrent calls from several threads and free every per-call native
 * temporary before returning. {@link #close()} is idempotent.
 */
public interface EngineModel extends AutoCloseable {
  /**
   * Runs the encoder.
   *
   * @param input {@code [B, input_nc, 256, 256]}
   * @return raw codes without latent_avg: {@code [B, n_styles, 512]}, or {@code [B, 512]} for the W encoder
   */
  TensorData encode(TensorData input);

  /**
   * Runs the generator on W+ codes ({@code input_is_latent=True}).
   *
   * @param codes {@code [B, n_styles, 512]}
   * @param noise per-layer noise {@code [1 or B, 1, H, W]}, or null for the stored buffers
   * @param size {@link dev.psp.OutputSize#POOLED} to apply {@code face_pool} (adaptive average pool to 256×256)
   * @return the image {@code [B, 3, S, S]} (or 256×256), unclamped
   */
  TensorData decode(TensorData codes, List<TensorData> noise, OutputSize size);

  /** The mapping network: z {@code [B, 512]} to w {@code [B, 512]}. */
  TensorData mapping(TensorData z);

  /** Frees the model's native memory. Idempotent. */
  @Override
  void close();
}
