package dev.nhigraph.cli;

import picocli.CommandLine.Command;

/** The parent of the live collectors; each cloud is a subcommand. */
@Command(name = "collect", mixinStandardHelpOptions = true,
        description = "Collect live from a cloud's read-only APIs into the graph.",
        subcommands = {CollectAwsCommand.class})
final class CollectCommand {
}
