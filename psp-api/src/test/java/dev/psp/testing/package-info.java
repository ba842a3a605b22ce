/**
 * Test helpers shared by the modules through psp-api's test-jar: fixtures and tiny checkpoints, a toy
 * engine, the engine contract suite every engine module runs ({@link dev.psp.testing.EngineContractTest})
 * and the full-size parity helpers ({@link dev.psp.testing.ReferenceCase}, {@link
 * dev.psp.testing.ParityReport}). Nothing here depends on an engine module.
 */
package dev.psp.testing;
