using System.CommandLine;
using EbpfConsole.Cli.Shell;

namespace EbpfConsole.Cli;

/// <summary>The composition root: builds the verb tree and maps failures to exit codes (CONVENTIONS.md).</summary>
public static class CliApp
{
    public const int Ok = 0;
    public const int ChecksFailed = 1;
    public const int UsageError = 2;

    /// <summary>Interrupted with Ctrl+C (128 + SIGINT), as shells report it.</summary>
    public const int Interrupted = 130;

    /// <summary>How long a command may take to wind down after Ctrl+C or SIGTERM before the process ends anyway.</summary>
    public static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(15);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand(
            "ebpf-console: a terminal console for moving Calico clusters to the eBPF dataplane. Without a command it opens the console " +
            "on the cluster your kubeconfig names (or on the lab with --lab).");
        root.Subcommands.Add(LabConsole.Create());
        root.Subcommands.Add(Capture.CaptureCommand.Create());
        root.Subcommands.Add(Capture.AnalyzeCommand.Create());
        root.Subcommands.Add(Preflight.PreflightCommand.Create());
        root.Subcommands.Add(Migrate.MigrateCommand.Create());
        ClusterConsole.Configure(root);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync($"ebpf-console: {Plain(error.Message)}");
            }

            await stderr.WriteLineAsync($"Try '{CommandPath(parse.CommandResult)} --help'.");
            return UsageError;
        }

        try
        {
            // Our own handler below: System.CommandLine's default one prints stack traces.
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,

                // Ctrl+C and SIGTERM cancel the command's token (the default, null, leaves them to kill the
                // process): `capture` then stops its sources, prints the analysis and leaves nothing on the nodes.
                ProcessTerminationTimeout = TerminationGrace,
            });
        }
        catch (OperationCanceledException)
        {
            return Interrupted;
        }
        catch (Exception e)
        {
            // Last resort, after the terminal was restored: expected failures are handled where they happen.
            var report = CrashReport.Write(e);
            await stderr.WriteLineAsync($"ebpf-console: unexpected error: {e.Message}{(report is null ? string.Empty : $" (details in {report})")}");
            return UsageError;
        }
    }

    /// <summary>Parser messages name .NET types ("expected type 'System.Int32'"); users think in numbers.</summary>
    private static string Plain(string message) =>
        message.Replace("as expected type 'System.Int32'", "as a whole number", StringComparison.Ordinal);

    /// <summary>"ebpf-console lab mode" for the command the user was typing, so the help hint is the right one.</summary>
    private static string CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (var current = result; current is not null; current = current.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, current.Command is RootCommand ? "ebpf-console" : current.Command.Name);
        }

        return string.Join(' ', names);
    }
}
