package dev.nhigraph.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nhigraph collect}: the parent of the live collectors, one subcommand per cloud. */
@Command(name = "collect", mixinStandardHelpOptions = true,
        description = "Collect IAM facts from a cloud with read-only credentials, and load them like an offline export.",
        subcommands = {CollectGcpCommand.class})
final class CollectCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
