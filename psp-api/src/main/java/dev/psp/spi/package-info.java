/**
 * The engine service-provider interface. An engine module implements {@link dev.psp.spi.EngineProvider},
 * {@link dev.psp.spi.Engine} and {@link dev.psp.spi.EngineModel}; users never see these types.
 */
package dev.psp.spi;
