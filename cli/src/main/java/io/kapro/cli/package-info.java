/**
 * The {@code kapro} command (also installable as {@code kubectl-kapro}): {@link
 * io.kapro.cli.KaproCli} and one feature package per subcommand. Exit codes are in {@link
 * io.kapro.cli.ExitCodes}.
 */
package io.kapro.cli;
