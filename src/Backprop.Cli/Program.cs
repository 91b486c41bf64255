using Backprop.Cli.Commands;

return await BackpropCommand.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
