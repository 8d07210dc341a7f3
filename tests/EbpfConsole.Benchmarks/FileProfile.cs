using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EbpfConsole.Capture.Files;
using EbpfConsole.Capture.Merge;
using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Analysis;

namespace EbpfConsole.Benchmarks;

/// <summary>
/// <c>profile FILE</c>: where the CLI's <c>analyze</c> spends its time and memory, in sections (read
/// only; read and analyse; snapshot; JSON of the snapshot) with the managed heap after each.
/// </summary>
internal static class FileProfile
{
    public static void Run(string path)
    {
        var target = new FileTarget(path);
        var clock = Stopwatch.StartNew();
        var counter = new CountingSink();
        FileMerge.Read([target], counter);
        Report("read only", clock, counter.Frames);

        var nodes = new NodeDirectory([("node-1", "10.99.0.11"), ("node-2", "10.99.0.12")]);
        var analyzer = new CaptureAnalyzer(new AnalysisOptions(nodes, null) { MaxPacketsPerConnection = 0 });
        clock.Restart();
        FileMerge.Read([target], analyzer);
        Report($"read + analyse ({analyzer.ConnectionsRetired} retired, {analyzer.ActiveConnections} active)", clock, analyzer.FramesAccepted);

        clock.Restart();
        var snapshot = analyzer.Snapshot();
        Report($"snapshot ({snapshot.Connections.Count} connections)", clock, snapshot.Connections.Count);

        clock.Restart();
        using (var stream = Stream.Null)
        {
            JsonSerializer.Serialize(stream, snapshot.Connections);
        }

        Report("JSON of the connections (to a null stream)", clock, snapshot.Connections.Count);
        GC.KeepAlive(snapshot);
        GC.KeepAlive(analyzer);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} MB"));
    }

    private static void Report(string what, Stopwatch clock, long items)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        var heap = GC.GetTotalMemory(forceFullCollection: true) / 1048576;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-45} {seconds,7:F3} s  {items / Math.Max(seconds, 1e-9),12:F0}/s  heap after {heap,5} MB"));
    }

    private sealed class CountingSink : IFrameSink
    {
        public long Frames { get; private set; }

        public void Accept(in CapturedFrame frame) => Frames++;
    }
}
