using System.CommandLine;
using EbpfConsole.Cli.Shell;

namespace EbpfConsole.Cli;

/// <summary>The composition root: builds the verb tree and maps failures to exit codes (CONVENTIONS.md).</summary>
public static class CliApp
{
    public const int Ok = 0;
    public const int ChecksFailed = 1;
    public const int UsageError = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("ebpf-console: a terminal console for moving Calico clusters to the eBPF dataplane.");
        root.Subcommands.Add(LabConsole.Create());
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync($"ebpf-console: {error.Message}");
            }

            await stderr.WriteLineAsync("Try 'ebpf-console --help'.");
            return UsageError;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
    }
}
