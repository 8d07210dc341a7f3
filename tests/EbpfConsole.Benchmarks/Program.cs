using System.Diagnostics;
using System.Globalization;
using EbpfConsole.Capture.Files;
using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Analysis;

namespace EbpfConsole.Benchmarks;

/// <summary>
/// BenchmarkDotNet switcher, plus <c>generate FILE PACKETS</c> (the synthetic NodePort mix as pcapng,
/// for tests/bench/capture-bench.sh), <c>profile FILE</c> (see <see cref="FileProfile"/>) and <c>analyze-synthetic PACKETS</c>: streams the synthetic NodePort mix
/// through one <see cref="CaptureAnalyzer"/> (no packets kept, as the CLI's analyze) and prints
/// packets/s, connections, classification and peak working set, a quick check of the hot path's memory.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 3 && args[0] == "generate")
        {
            using var writer = new PcapngWriter(File.Create(args[1]), "synthetic NodePort capture (ebpf-console benchmark)");
            foreach (var frame in SyntheticCapture.Generate(long.Parse(args[2], CultureInfo.InvariantCulture)))
            {
                writer.Write(frame);
            }

            return;
        }

        if (args.Length == 2 && args[0] == "profile")
        {
            FileProfile.Run(args[1]);
            return;
        }

        if (args.Length == 2 && args[0] == "analyze-synthetic")
        {
            AnalyzeSynthetic(long.Parse(args[1], CultureInfo.InvariantCulture));
            return;
        }

        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }

    private static void AnalyzeSynthetic(long packets)
    {
        var nodes = new NodeDirectory([("node-1", "10.99.0.11"), ("node-2", "10.99.0.12")]);
        var analyzer = new CaptureAnalyzer(new AnalysisOptions(nodes, 30604) { MaxPacketsPerConnection = 0 });
        var generate = Stopwatch.StartNew();
        var frames = SyntheticCapture.Generate(packets).ToArray();
        generate.Stop();
        var before = Process.GetCurrentProcess().WorkingSet64;
        var clock = Stopwatch.StartNew();
        foreach (var frame in frames)
        {
            analyzer.Accept(frame);
        }

        var snapshot = analyzer.Snapshot();
        clock.Stop();
        var process = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{packets} packets (generated in {generate.Elapsed.TotalSeconds:F1} s) analysed in {clock.Elapsed.TotalSeconds:F2} s = {packets / clock.Elapsed.TotalSeconds:F0} packets/s"));
        Console.WriteLine($"connections {snapshot.Connections.Count}, classification {snapshot.Classification.Verdict.ToName()}, malformed {snapshot.Malformed}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"working set before analysis {before / 1048576} MB (frames in memory), peak {process.PeakWorkingSet64 / 1048576} MB, managed after {GC.GetTotalMemory(true) / 1048576} MB"));
        GC.KeepAlive(frames);
    }
}
