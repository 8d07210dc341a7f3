using System.CommandLine;
using EbpfConsole.Core.Datapath;
using EbpfConsole.Lab;

namespace EbpfConsole.Cli.Lab;

/// <summary>
/// `lab up|down|mode|curl|logs|status|kubeconfig`: the lab's verbs (System.CommandLine 2.0). Exit codes: 0 ok,
/// 1 a request failed, 2 usage or environment error (a <see cref="LabException"/> prints one line).
/// Progress goes to stderr so stdout stays parseable.
/// </summary>
public static class LabVerbs
{
    private const int Ok = 0;
    private const int Failed = 1;
    private const int UsageError = 2;

    /// <summary>`lab mode auto`: no manual override, the lab controller follows the API objects.</summary>
    public const string AutoMode = "auto";

    /// <summary>The lab's subcommands. <paramref name="serviceFactory"/> builds the service from a progress sink (default: real processes, state dir from the environment).</summary>
    public static IEnumerable<Command> Create(Func<Action<string>, LabService>? serviceFactory = null)
    {
        var factory = serviceFactory ?? (progress => new LabService(LabPaths.FromEnvironment(), new ProcessRunner(), progress));
        return [Up(factory), Down(factory), Mode(factory), Curl(factory), Logs(factory), Status(factory), Kubeconfig(factory)];
    }

    private static Command Up(Func<Action<string>, LabService> factory)
    {
        // The names come from assets/lab/scenarios: read them when completing or validating, not while building the CLI.
        var scenario = new Option<string>("--scenario")
        {
            Description = $"Starting scenario (assets/lab/scenarios, e.g. {LabService.DefaultScenario}, kubekey-default, missing-bpffs, operator, operator-bootstrap)",
            DefaultValueFactory = _ => LabService.DefaultScenario,
        };
        scenario.CompletionSources.Add(_ => LabService.Scenarios.Select(n => new System.CommandLine.Completions.CompletionItem(n)));
        var nodes = new Option<int?>("--nodes")
        {
            Description = $"Number of nodes, {LabTopology.MinNodes}-{LabTopology.MaxNodes} (default: the running lab's count, else {LabTopology.DefaultNodes}); node-3 and up have an sshd but no datapath",
        };
        nodes.Validators.Add(r =>
        {
            // Read the token, not the converted value: a non-number already has its own parse error.
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, out var n) && LabTopology.NodeCountError(n) is { } error)
            {
                r.AddError(error);
            }
        });
        var cmd = new Command("up", "Bring the lab up (idempotent: a healthy lab is left alone, a partial one rebuilt)") { scenario, nodes };
        SetLabAction(cmd, factory, async (lab, pr, output, ct) =>
        {
            var status = await lab.UpAsync(pr.GetValue(scenario)!, pr.GetValue(nodes), ct).ConfigureAwait(false);
            foreach (var line in LabOutput.StatusLines(status))
            {
                await output.WriteLineAsync(line).ConfigureAwait(false);
            }

            return Ok;
        });
        return cmd;
    }

    private static Command Down(Func<Action<string>, LabService> factory)
    {
        var cmd = new Command("down", "Remove every lab process, namespace and the eclab-host link");
        SetLabAction(cmd, factory, async (lab, _, _, ct) =>
        {
            await lab.DownAsync(ct).ConfigureAwait(false);
            return Ok;
        });
        return cmd;
    }

    private static Command Mode(Func<Action<string>, LabService> factory)
    {
        string[] allowed = [.. DatapathModes.Names, AutoMode];
        var mode = new Argument<string>("mode") { Description = $"Datapath: {string.Join(" | ", DatapathModes.Names)} (a manual override), or {AutoMode} (the API objects decide)" };
        mode.Validators.Add(result =>
        {
            var value = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (!allowed.Contains(value, StringComparer.OrdinalIgnoreCase))
            {
                result.AddError($"unknown mode '{value}'; allowed: {string.Join(", ", allowed)}");
            }
        });
        mode.CompletionSources.Add(allowed);
        var cmd = new Command("mode", "Force the NodePort datapath (previous rules removed, conntrack flushed) or hand it back to the API objects (auto)") { mode };
        SetLabAction(cmd, factory, async (lab, pr, output, ct) =>
        {
            var value = pr.GetValue(mode);
            if (string.Equals(value, AutoMode, StringComparison.OrdinalIgnoreCase))
            {
                await lab.ClearModeOverrideAsync(ct).ConfigureAwait(false);
            }
            else if (DatapathModes.TryParse(value, out var parsed))
            {
                await lab.SetModeAsync(parsed, ct).ConfigureAwait(false);
            }
            else
            {
                throw new LabException($"unknown mode; allowed: {string.Join(", ", allowed)}");
            }

            var status = await lab.GetStatusAsync(ct).ConfigureAwait(false);
            await output.WriteLineAsync(LabOutput.ModeLine(value!.ToLowerInvariant(), status)).ConfigureAwait(false);
            return Ok;
        });
        return cmd;
    }

    private static Command Kubeconfig(Func<Action<string>, LabService> factory)
    {
        var cmd = new Command("kubeconfig", "Print the path of the kubeconfig for the lab's API server (kubectl --kubeconfig \"$(ebpf-console lab kubeconfig)\" get nodes)");
        SetLabAction(cmd, factory, async (lab, _, output, ct) =>
        {
            var path = await lab.GetKubeconfigAsync(ct).ConfigureAwait(false);
            try
            {
                path = CallerKubeconfig.For(path, Environment.GetEnvironmentVariable);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new LabException($"cannot hand the kubeconfig to the calling user: {ex.Message}", ex);
            }

            await output.WriteLineAsync(path).ConfigureAwait(false);
            return Ok;
        });
        return cmd;
    }

    private static Command Curl(Func<Action<string>, LabService> factory)
    {
        var count = new Option<int>("--count") { Description = "Number of requests", DefaultValueFactory = _ => 1 };
        count.Validators.Add(r =>
        {
            // Read the token, not the converted value: a non-number already has its own parse error.
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, out var n) && n is < 1 or > 1000)
            {
                r.AddError("--count must be between 1 and 1000");
            }
        });
        var from = new Option<string>("--from") { Description = "Client namespace to send from", DefaultValueFactory = _ => LabTopology.Client.Name };
        OneOf(from, "client", LabTopology.Clients.Select(c => c.Name));
        var target = new Option<string>("--target") { Description = "Node whose NodePort to call", DefaultValueFactory = _ => LabTopology.IngressNode.Name };
        OneOf(target, "target", LabTopology.Nodes.Select(n => n.Name));
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {from, fromIp, target, status, podSaw}" };
        var localPort = new Option<int?>("--local-port") { Description = $"Send from this source port ({LabCurl.MinLocalPort}-65535), e.g. the same one from two clients" };
        localPort.Validators.Add(r =>
        {
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, out var n) && n is < LabCurl.MinLocalPort or > 65535)
            {
                r.AddError($"--local-port must be between {LabCurl.MinLocalPort} and 65535");
            }
        });
        var cmd = new Command("curl", $"HTTP requests from a lab client to a node's NodePort {LabTopology.NodePort}; shows the source IP the pod saw")
        {
            count, from, target, json, localPort,
        };
        SetLabAction(cmd, factory, async (lab, pr, output, ct) =>
        {
            var results = await lab.CurlAsync(pr.GetValue(from)!, pr.GetValue(target)!, pr.GetValue(count), pr.GetValue(localPort), ct).ConfigureAwait(false);
            if (pr.GetValue(json))
            {
                await output.WriteLineAsync(LabOutput.CurlJson(results)).ConfigureAwait(false);
            }
            else
            {
                foreach (var r in results)
                {
                    await output.WriteLineAsync(LabOutput.CurlLine(r)).ConfigureAwait(false);
                }
            }

            return results.All(r => r.Succeeded) ? Ok : Failed;
        });
        return cmd;
    }

    private static Command Logs(Func<Action<string>, LabService> factory)
    {
        var tail = new Option<int>("--tail") { Description = "Number of access-log lines", DefaultValueFactory = _ => 20 };
        var cmd = new Command("logs", "The nginx pod's access log (each line starts with the source IP the pod saw)") { tail };
        SetLabAction(cmd, factory, async (lab, pr, output, ct) =>
        {
            foreach (var line in await lab.ReadAccessLogAsync(pr.GetValue(tail), ct).ConfigureAwait(false))
            {
                await output.WriteLineAsync(line).ConfigureAwait(false);
            }

            return Ok;
        });
        return cmd;
    }

    private static Command Status(Func<Action<string>, LabService> factory)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON (mode, nodes, clients, pod, stateDir, ssh, apiServer, scenario, datapathSource, up, health)" };
        var cmd = new Command("status", "Whether the lab is up, its API server, scenario, datapath mode (and who sets it), hosts and health") { json };
        SetLabAction(cmd, factory, async (lab, pr, output, ct) =>
        {
            var status = await lab.GetStatusAsync(ct).ConfigureAwait(false);
            var text = pr.GetValue(json) ? LabOutput.StatusJson(status, lab.Paths) : string.Join('\n', LabOutput.StatusLines(status));
            await output.WriteLineAsync(text).ConfigureAwait(false);
            return Ok;
        });
        return cmd;
    }

    /// <summary>Restricts an option to <paramref name="allowed"/> with a one-line error naming them.</summary>
    private static void OneOf(Option<string> option, string what, IEnumerable<string> allowed)
    {
        var names = allowed.ToArray();
        option.CompletionSources.Add(names);
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (!names.Contains(value, StringComparer.Ordinal))
            {
                result.AddError($"unknown {what} '{value}'; allowed: {string.Join(", ", names)}");
            }
        });
    }

    private static void SetLabAction(
        Command cmd,
        Func<Action<string>, LabService> factory,
        Func<LabService, ParseResult, TextWriter, CancellationToken, Task<int>> body)
    {
        cmd.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var output = pr.InvocationConfiguration.Output;
            var error = pr.InvocationConfiguration.Error;
            try
            {
                var lab = factory(message => error.WriteLine($"lab: {message}"));
                return await body(lab, pr, output, ct).ConfigureAwait(false);
            }
            catch (LabException ex)
            {
                await error.WriteLineAsync($"ebpf-console: {ex.Message}").ConfigureAwait(false);
                return UsageError;
            }
        });
    }
}
