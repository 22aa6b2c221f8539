using Recsys.Cli;

return CliRunner.Run(CliApp.Build(), args);
