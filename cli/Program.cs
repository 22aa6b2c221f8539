using System.CommandLine;
using Recsys.Cli;

var root = new RootCommand("recsys — build, evaluate and serve recommenders.");
// Each verb lives in Commands/<Verb>Command.cs and exposes a static Create().
root.Subcommands.Add(Recsys.Cli.Commands.EmbedCommand.Create());
root.Subcommands.Add(Recsys.Cli.Commands.ClusterCommand.Create());
root.Subcommands.Add(Recsys.Cli.Commands.CompressCommand.Create());
root.Subcommands.Add(Recsys.Cli.Commands.NodeClassificationCommand.Create());
return CliRunner.Run(root, args);
