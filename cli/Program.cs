using System.CommandLine;
using Recsys.Cli;

var root = new RootCommand("recsys — build, evaluate and serve recommenders.");
// Each verb lives in Commands/<Verb>Command.cs and exposes a static Create().
root.Subcommands.Add(Recsys.Cli.Commands.GenerateCommand.Create());
return CliRunner.Run(root, args);
