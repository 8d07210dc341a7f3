using EbpfConsole.Capture.Sources;
using EbpfConsole.Cli.Connect;
using EbpfConsole.Cli.Shell;
using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Analysis;
using EbpfConsole.Core.Capture.Live;
using EbpfConsole.Core.Events;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Lab;

namespace EbpfConsole.Cli.Capture;

/// <summary>Runs one `capture` command: sources, live analysis, optional file, and the final report.</summary>
internal static class CaptureRunner
{
    /// <summary>Filter for non-lab nodes: TCP except SSH (our own session must not feed the capture), VXLAN, ICMP.</summary>
    public const string GeneralFilter = "(tcp and not port 22) or udp port 4789 or icmp or icmp6";

    public static async Task<int> RunAsync(CaptureRequest request, IReadOnlyList<(string Node, string Address)> given, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var time = TimeProvider.System;
        var log = new EventLog(time);
        log.Added += e => error.WriteLine($"capture: {e.Message}");

        var setup = request.Lab ? await LabSetupAsync(request, ct).ConfigureAwait(false) : GeneralSetup(request, given, time);
        var unknown = setup.Points.Where(p => p.Node != CaptureSourceFactory.LocalNode && setup.KnownNodes is { } known && !known.ContainsKey(p.Node)).ToList();
        if (unknown.Count > 0)
        {
            await error.WriteLineAsync($"ebpf-console: capture: {string.Join(", ", unknown.Select(p => p.Node).Distinct())} is not a lab node; known: {string.Join(", ", setup.KnownNodes!.Keys)}, local").ConfigureAwait(false);
            return CliApp.UsageError;
        }

        var directory = new NodeDirectory(setup.Directory.Concat(given));
        var analysis = new AnalysisOptions(directory, request.NodePort ?? setup.NodePort);
        var factory = new CaptureSourceFactory(setup.Connector, request.Filter ?? setup.Filter);
        CaptureFileTee? tee = null;
        try
        {
            tee = request.WritePath is null ? null : new CaptureFileTee(request.WritePath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"ebpf-console: capture: {request.WritePath}: cannot write ({e.Message})").ConfigureAwait(false);
            return CliApp.UsageError;
        }

        CaptureSnapshot result;
        await using (var session = new CaptureSession(setup.Points, factory, log, time, new CaptureSessionOptions(analysis)))
        {
            await error.WriteLineAsync($"capture: at {string.Join(", ", setup.Points)}{(request.Duration is { } d ? $" for {d.TotalSeconds:0.###} s" : string.Empty)} (Ctrl+C stops)").ConfigureAwait(false);
            await session.StartAsync(setup.Points, tee, CancellationToken.None).ConfigureAwait(false);
            await WaitAsync(session.Completion, request.Duration, ct).ConfigureAwait(false);
            await session.StopAsync().ConfigureAwait(false);
            result = session.Latest;
        }

        // Failed points already show with their error under points; what else went wrong is listed as skipped.
        var skipped = new List<AnalysisOutput.Skipped>();
        if (tee?.Finish(result) is { } writeProblem)
        {
            skipped.Add(new AnalysisOutput.Skipped(request.WritePath!, writeProblem));
        }
        else if (tee is not null)
        {
            await error.WriteLineAsync($"capture: wrote {result.Packets} packets to {request.WritePath}").ConfigureAwait(false);
        }

        if (request.Json)
        {
            await AnalysisOutput.WriteJsonAsync(output, result, skipped).ConfigureAwait(false);
        }
        else
        {
            foreach (var line in AnalysisOutput.Lines(result, skipped))
            {
                await output.WriteLineAsync(line).ConfigureAwait(false);
            }
        }

        if (result.Points.All(p => p.Error is not null))
        {
            return CliApp.UsageError;
        }

        return result.Classification.Verdict == DatapathVerdict.Unknown ? CliApp.ChecksFailed : CliApp.Ok;
    }

    /// <summary>Until the duration is over, Ctrl+C, or every source has ended by itself.</summary>
    private static async Task WaitAsync(Task completion, TimeSpan? duration, CancellationToken ct)
    {
        try
        {
            var limit = duration is { } d ? Task.Delay(d, ct) : Task.Delay(Timeout.Infinite, ct);
            await Task.WhenAny(completion, limit).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C ends the capture; the analysis so far is still printed.
        }
    }

    /// <exception cref="ConnectionSetupException">An SSH flag was given (the lab uses its own key and known_hosts).</exception>
    /// <exception cref="LabException">The lab is not up.</exception>
    private static async Task<CaptureSetup> LabSetupAsync(CaptureRequest request, CancellationToken ct)
    {
        NodeSsh.RefuseFlagsWithLab(request.Ssh);
        var paths = LabPaths.FromEnvironment();
        var lab = new LabService(paths, new ProcessRunner(), _ => { });
        var status = await lab.GetStatusAsync(ct).ConfigureAwait(false);
        if (!status.Up)
        {
            throw new LabException("the lab is not up; run 'ebpf-console lab up' first");
        }

        return new CaptureSetup(
            request.Points.Count > 0 ? request.Points : LabCapture.Points,
            LabCaptureSources.Connector(paths),
            LabCaptureSources.Nodes,
            LabCapture.Filter,
            LabTopology.NodePort,
            LabTopology.Nodes.Select(n => (n.Name, n.Ip)).ToList());
    }

    /// <summary>
    /// Nodes are reached as preflight reaches them: a point's node name is looked up in ssh_config (as `ssh NODE` would),
    /// its default address is the --node NAME=IP one, else the name itself; the login user defaults to the local user.
    /// </summary>
    /// <exception cref="ConnectionSetupException">A bad SSH flag or ssh_config line (one line).</exception>
    private static CaptureSetup GeneralSetup(CaptureRequest request, IReadOnlyList<(string Node, string Address)> given, TimeProvider time)
    {
        var resolver = NodeSsh.Resolver(NodeSsh.Settings(request.Ssh, TerminalPrompts.For(request.Json)));
        var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (node, address) in given)
        {
            addresses[node] = address;
        }

        var connector = new RouteNodeConnector(resolver, node => addresses.GetValueOrDefault(node), Environment.UserName, null, time);
        return new CaptureSetup(request.Points, connector, null, GeneralFilter, null, []);
    }

    /// <param name="Points">Where to capture.</param>
    /// <param name="Connector">How nodes are reached.</param>
    /// <param name="KnownNodes">The only nodes there are (the lab's), or null: any name.</param>
    /// <param name="Filter">The default BPF filter.</param>
    /// <param name="NodePort">The default NodePort to follow.</param>
    /// <param name="Directory">Node names and addresses for the analysis.</param>
    private sealed record CaptureSetup(
        IReadOnlyList<CapturePoint> Points,
        INodeConnector Connector,
        IReadOnlyDictionary<string, NodeTarget>? KnownNodes,
        string Filter,
        int? NodePort,
        IReadOnlyList<(string Node, string Address)> Directory);
}
