package dev.nhigraph.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code nhigraph collect}: the parent of the live collectors, one subcommand per cloud. */
@Command(name = "collect", mixinStandardHelpOptions = true,
        description = "Collect IAM facts from a cloud's read-only APIs, and load them like an offline export.",
        subcommands = {CollectAwsCommand.class, CollectGcpCommand.class})
final class CollectCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Prints the usage to stderr and returns the bad-usage exit code, because collect needs a cloud. */
    @Override
    public Integer call() {
        CommandLine commandLine = spec.commandLine();
        commandLine.getErr().println("nhigraph collect: name the cloud, `collect aws` or `collect gcp`.");
        commandLine.usage(commandLine.getErr());
        return Main.EXIT_BAD_INPUT;
    }
}
