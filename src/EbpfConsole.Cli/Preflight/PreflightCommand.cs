using System.CommandLine;
using System.Globalization;
using EbpfConsole.Cli.Capture;
using EbpfConsole.Cli.Connect;
using EbpfConsole.Core.Preflight;
using EbpfConsole.Lab;

namespace EbpfConsole.Cli.Preflight;

/// <summary>
/// `preflight [--json] [--node NAME …] [--check P5 …]`: reads the cluster through the API, checks every node over SSH with a
/// bounded fan-out, prints the nodes × checks table and the details of what did not pass. Exit codes: 0 every check passed
/// or warned, 1 any failed, 2 preflight could not run or some checks are unknown (an unreachable node).
/// </summary>
internal static class PreflightCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON: checks[{id, title, node, verdict, evidence, remediation, reason, scope}], cluster, nodes, summary" };
        var nodes = new Option<string[]>("--node") { HelpName = "NAME", Description = "Check only this node (repeatable); the cluster checks always run" };
        var checks = new Option<string[]>("--check") { HelpName = "ID", Description = "Report only this check (repeatable): P1 … P20, RBAC" };
        checks.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => CheckCatalog.Find(t.Value) is null))
            {
                result.AddError($"--check '{token.Value}' is not a check; known: {string.Join(", ", CheckCatalog.All.Select(c => c.Id))}");
            }
        });
        var timeout = new Option<string?>("--timeout") { HelpName = "DURATION", Description = "Limit per node for SSH connect + probe (default 20s); past it the node's checks are unknown" };
        DurationText.Validate(timeout, "10s or 1m");
        var parallel = new Option<int>("--parallel") { HelpName = "N", Description = "Nodes checked at once (default 32)", DefaultValueFactory = _ => 32 };
        parallel.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is < 1 or > 256)
            {
                result.AddError("--parallel must be between 1 and 256");
            }
        });
        var target = new TargetOptions();
        var ssh = new SshCliOptions();
        var command = new Command("preflight", "Check whether the cluster and every node are ready for the Calico eBPF dataplane (P1-P20), and why not")
        {
            json, nodes, checks, timeout, parallel,
        };
        target.AddTo(command);
        ssh.AddTo(command);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var options = new PreflightOptions
            {
                MaxParallelNodes = parse.GetValue(parallel),
                NodeTimeout = DurationText.TryParse(parse.GetValue(timeout), out var t) ? t : TimeSpan.FromSeconds(20),
                Nodes = parse.GetValue(nodes) is { Length: > 0 } n ? n.ToHashSet(StringComparer.Ordinal) : null,
                Checks = parse.GetValue(checks) is { Length: > 0 } c ? c.Select(id => CheckCatalog.Find(id)!.Id).ToHashSet(StringComparer.Ordinal) : null,
            };
            try
            {
                using var connection = ConsoleConnection.Open(target.Read(parse), ssh.Read(parse), TerminalPrompts.For(parse.GetValue(json)));
                using var runner = connection.CreatePreflight(options);
                var progress = !parse.GetValue(json);
                if (progress)
                {
                    var reported = new HashSet<string>(StringComparer.Ordinal);
                    runner.Changed += snapshot => ReportProgress(snapshot, reported, error);
                }

                var run = await runner.RunAsync(null, ct).ConfigureAwait(false);
                if (parse.GetValue(json))
                {
                    using var stdout = Console.OpenStandardOutput();
                    PreflightJson.Write(stdout, run);
                    await stdout.WriteAsync("\n"u8.ToArray(), ct).ConfigureAwait(false);
                }
                else
                {
                    await parse.InvocationConfiguration.Output.WriteAsync(PreflightText.Render(run)).ConfigureAwait(false);
                }

                if (run.Error is not null && parse.GetValue(json))
                {
                    await error.WriteLineAsync($"ebpf-console: preflight: {run.Error}").ConfigureAwait(false);
                }

                return PreflightOutcome.ExitCode(run);
            }
            catch (Exception e) when (e is ClusterUnavailableException or LabException or ConnectionSetupException)
            {
                await error.WriteLineAsync($"ebpf-console: preflight: {e.Message}").ConfigureAwait(false);
                return CliApp.UsageError;
            }
        });
        return command;
    }

    /// <summary>Each node's line on stderr as it finishes, so a long run shows results as they arrive.</summary>
    private static void ReportProgress(PreflightSnapshot snapshot, HashSet<string> reported, TextWriter error)
    {
        lock (reported)
        {
            foreach (var node in snapshot.Nodes.Where(n => n.State == NodeRunState.Done && reported.Add(n.Node)))
            {
                error.WriteLine($"  {PreflightText.NodeLine(node)}");
            }
        }
    }
}
