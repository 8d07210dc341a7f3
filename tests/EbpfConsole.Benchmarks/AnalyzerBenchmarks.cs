using BenchmarkDotNet.Attributes;
using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Analysis;

namespace EbpfConsole.Benchmarks;

/// <summary>
/// <see cref="CaptureAnalyzer.Accept"/> (decode + correlate) on a synthetic NodePort mix at three
/// points, then one snapshot: per packet, as the CLI runs it (no packets kept) and as the TUI does (64 kept).
/// </summary>
[MemoryDiagnoser]
public class AnalyzerBenchmarks
{
    private const int Frames = 60_000;
    private CapturedFrame[] _frames = [];

    [Params(0, 64)]
    public int KeepPackets { get; set; }

    [GlobalSetup]
    public void Setup() => _frames = SyntheticCapture.Generate(Frames).ToArray();

    [Benchmark(OperationsPerInvoke = Frames)]
    public int AcceptAndSnapshot()
    {
        var nodes = new NodeDirectory([("node-1", "10.99.0.11"), ("node-2", "10.99.0.12")]);
        var analyzer = new CaptureAnalyzer(new AnalysisOptions(nodes, 30604) { MaxPacketsPerConnection = KeepPackets });
        foreach (var frame in _frames)
        {
            analyzer.Accept(frame);
        }

        return analyzer.Snapshot().Connections.Count;
    }
}
