using EbpfConsole.Capture.Files;
using EbpfConsole.Capture.Merge;
using EbpfConsole.Capture.Sources;
using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Analysis;
using EbpfConsole.Core.Capture.Live;
using EbpfConsole.Core.Datapath;
using EbpfConsole.Core.Events;
using EbpfConsole.Integration.Tests.Lab;
using EbpfConsole.Lab;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Integration.Tests.Capture.Lab;

/// <summary>
/// The capture as a trainer uses it: tcpdump over SSH at the lab's three points while two clients call the
/// NodePort (one pair from the same source port), in each datapath mode; the exported pcapng re-analysed.
/// </summary>
[Collection(LabCollectionDefinition.Name)]
public sealed class LabCaptureTests(LabFixture lab) : IDisposable
{
    // A new port each run: the client keeps a closed connection's port in TIME_WAIT for a minute, and curl cannot bind it then.
    private readonly int _sharedSourcePort = Random.Shared.Next(40000, 50000);
    private readonly string _dir = Directory.CreateTempSubdirectory("ebpf-console-capture-").FullName;

    [Theory]
    [InlineData(DatapathMode.Iptables, DatapathVerdict.IptablesSnat, PodSawKind.Snat, ReplyPathKind.ViaIngress)]
    [InlineData(DatapathMode.EbpfTunnel, DatapathVerdict.EbpfTunnel, PodSawKind.ClientIp, ReplyPathKind.ViaIngress)]
    [InlineData(DatapathMode.EbpfDsr, DatapathVerdict.EbpfDsr, PodSawKind.ClientIp, ReplyPathKind.DirectFromBackend)]
    public async Task Capture_AtTheLabsThreePoints_ClassifiesEachModeAndTheExportSaysTheSame(
        DatapathMode mode, DatapathVerdict verdict, PodSawKind podSaw, ReplyPathKind replyPath)
    {
        LabFixture.RequireTools();
        await lab.EnsureUpAsync(mode);
        var file = Path.Combine(_dir, $"{mode.ToName()}.pcapng");
        var log = new EventLog(TimeProvider.System);
        CaptureSnapshot live;
        using (var stream = File.Create(file))
        using (var writer = new PcapngWriter(stream))
        {
            var tee = new WriterSink(writer);
            await using var session = NewSession(log);
            await session.StartAsync(LabCapture.Points, tee, CancellationToken.None);
            await WaitForAsync(() => LabCapture.Points.All(p => Logged(log, $"{p}: capturing")), () => "every point capturing", log);

            var curls = new List<CurlResult>(await lab.Service.CurlAsync("client", "node-1", 2, CancellationToken.None));
            var pair = await Task.WhenAll(
                lab.Service.CurlAsync("client", "node-1", 1, _sharedSourcePort, CancellationToken.None),
                lab.Service.CurlAsync("client2", "node-1", 1, _sharedSourcePort, CancellationToken.None));
            curls.AddRange(pair.SelectMany(r => r));
            Assert.All(curls, c => Assert.True(c.Succeeded, $"{c.From}: {c.Error}"));
            await WaitForAsync(
                () => session.Latest.Connections.Count(c => c.Verdict != DatapathVerdict.Unknown) >= 4,
                () => "4 classified connections; seen:\n" + string.Join('\n', session.Latest.Connections.Select(CaptureAnalyzer.Describe)),
                log);
            await session.StopAsync();
            live = session.Latest;
        }

        Assert.Equal(verdict, live.Classification.Verdict);
        Assert.Equal(4, live.Connections.Count);
        Assert.Equal(2, live.Connections.Count(c => c.Client.Port == _sharedSourcePort));
        Assert.Equal(
            [LabTopology.Client.Ip, LabTopology.Client.Ip, LabTopology.Client.Ip, LabTopology.Client2.Ip],
            live.Connections.Select(c => c.Client.Address).Order(StringComparer.Ordinal));
        foreach (var c in live.Connections)
        {
            Assert.Equal(verdict, c.Verdict);
            Assert.Equal(podSaw, c.PodSaw.Kind);
            Assert.Equal(podSaw == PodSawKind.Snat ? LabTopology.IngressNode.Ip : c.Client.Address, c.PodSaw.Source?.Address);
            Assert.Equal(replyPath, c.ReplyPath.Kind);
            Assert.Equal(replyPath == ReplyPathKind.ViaIngress ? LabTopology.IngressNode.Name : LabTopology.BackendNode.Name, c.ReplyPath.Node);
            Assert.Equal(mode != DatapathMode.Iptables, c.TunnelSeen);
        }

        Assert.Equal(0, live.Dropped);
        Assert.Equal(0, live.Malformed);

        var again = new CaptureAnalyzer(new AnalysisOptions(LabDirectory(), LabTopology.NodePort));
        FileMerge.Read([new FileTarget(file, null)], again);
        var reread = again.Snapshot();
        Assert.Equal(live.Classification.Verdict, reread.Classification.Verdict);
        Assert.Equal(live.Packets, reread.Packets);
        Assert.Equal(Summary(live), Summary(reread));
        Assert.Equal(LabCapture.Points.Select(p => p.Name).Order(), reread.Points.Select(p => p.Point.Name).Order());
        Assert.Empty(LabProcesses.Tcpdumps());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static IEnumerable<string> Summary(CaptureSnapshot s) =>
        s.Connections.Select(c => $"{c.Client} {c.PodSaw.Kind} {c.PodSaw.Source?.Address} {c.ReplyPath.Kind} {c.ReplyPath.Node} {c.Verdict}").Order(StringComparer.Ordinal);

    private CaptureSession NewSession(EventLog log) =>
        new(LabCapture.Points, LabSources(lab.Paths), log, TimeProvider.System,
            new CaptureSessionOptions(new AnalysisOptions(LabDirectory(), LabTopology.NodePort)));

    internal static NodeDirectory LabDirectory() => new(LabTopology.Nodes.Select(n => (n.Name, n.Ip)));

    /// <summary>As the console and `capture --lab` reach the lab: the route resolver with the lab's key and known_hosts only
    /// (no ssh_config, strict, root) and the lab's reach guard before each connection.</summary>
    internal static CaptureSourceFactory LabSources(LabPaths paths)
    {
        var settings = new SshSettings
        {
            ConfigFile = SshSettings.NoConfig,
            KnownHostsFiles = [paths.KnownHostsPath],
            GlobalKnownHostsFiles = [],
            IdentityFiles = [paths.SshPrivateKeyPath],
            ConnectTimeout = TimeSpan.FromSeconds(5),
        };
        var resolver = SshRouteResolver.TryLoad(settings, out var error);
        Assert.True(resolver is not null, error);
        var nodes = LabTopology.Nodes.ToDictionary(n => n.Name, n => n.Ip);
        var connector = new RouteNodeConnector(resolver, n => nodes.GetValueOrDefault(n), "root", new LabReachGuard().RefusalAsync);
        return new CaptureSourceFactory(connector, LabCapture.Filter);
    }

    internal static bool Logged(EventLog log, string text) => log.Snapshot().Any(e => e.Message.Contains(text, StringComparison.Ordinal));

    internal static async Task WaitForAsync(Func<bool> condition, Func<string> what, EventLog log, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what()}; log:\n{string.Join('\n', log.Snapshot().Select(e => e.Message))}");
            await Task.Delay(50);
        }
    }

    private sealed class WriterSink(PcapngWriter writer) : IFrameSink
    {
        public void Accept(in CapturedFrame frame) => writer.Write(frame);
    }
}

/// <summary>tcpdump processes running inside the lab's node namespaces (found via `ip netns pids`).</summary>
internal static class LabProcesses
{
    public static IReadOnlyList<int> Tcpdumps()
    {
        var found = new List<int>();
        foreach (var node in LabTopology.Nodes)
        {
            var psi = new System.Diagnostics.ProcessStartInfo("ip", ["netns", "pids", node.Namespace]) { RedirectStandardOutput = true };
            using var p = System.Diagnostics.Process.Start(psi)!;
            var pids = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            foreach (var pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse))
            {
                var comm = $"/proc/{pid}/comm";
                var stat = $"/proc/{pid}/stat";
                if (File.Exists(comm) && File.ReadAllText(comm).Trim() == "tcpdump" && !IsZombie(stat))
                {
                    found.Add(pid);
                }
            }
        }

        return found;
    }

    private static bool IsZombie(string stat)
    {
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
