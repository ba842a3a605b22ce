/**
 * The {@code psp} command-line app ({@link dev.psp.cli.PspCli}): one picocli subcommand per job
 * (translate, encode, decode, mix, interpolate, info, export, bench, demo, train, train-stylegan, train-parser),
 * built on the public API only; no engine class is imported, engines are found at run time.
 */
package dev.psp.cli;
