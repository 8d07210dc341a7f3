using System.CommandLine;
using EbpfConsole.Capture.Files;
using EbpfConsole.Capture.Merge;
using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Analysis;

namespace EbpfConsole.Cli.Capture;

/// <summary>
/// `analyze FILE[@NODE:IFACE] …`: reads pcap/pcapng files (tcpdump's, Wireshark's, ours) as one capture
/// merged by time and prints the classification with its evidence. Exit 0 when the capture could be
/// classified, 1 when not (no NodePort connection, or not enough seen), 2 on bad input.
/// </summary>
internal static class AnalyzeCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("file")
        {
            Description = "A capture file, optionally with the point it was taken at: FILE@NODE:IFACE (e.g. n1.pcap@node-1:eth0)",
            Arity = ArgumentArity.OneOrMore,
        };
        files.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (!FileTarget.TryParse(token.Value, out _, out var error))
                {
                    result.AddError(error);
                }
            }
        });
        var shared = new CaptureOptions();
        var command = new Command("analyze", "Classify the NodePort datapath seen in capture files (iptables-snat, ebpf-tunnel, ebpf-dsr, mixed, unknown)") { files };
        shared.AddTo(command);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var targets = (parse.GetValue(files) ?? []).Select(f => FileTarget.TryParse(f, out var t, out _) ? t : throw new InvalidOperationException(f)).ToList();
            var analyzer = new CaptureAnalyzer(new AnalysisOptions(new NodeDirectory(shared.Entries(parse)), parse.GetValue(shared.NodePort)) { MaxPacketsPerConnection = 0 });
            IReadOnlyList<FileReadResult> results;
            try
            {
                results = await Task.Run(() => FileMerge.Read(targets, analyzer, ct), ct).ConfigureAwait(false);
            }
            catch (CaptureSourceException e)
            {
                await error.WriteLineAsync($"ebpf-console: analyze: {e.Message}").ConfigureAwait(false);
                return CliApp.UsageError;
            }

            foreach (var point in results.SelectMany(r => r.Points))
            {
                analyzer.DeclarePoint(point);
            }

            var snapshot = analyzer.Snapshot();
            var skipped = Skipped(results);
            if (parse.GetValue(shared.Json))
            {
                await AnalysisOutput.WriteJsonAsync(output, snapshot, skipped).ConfigureAwait(false);
            }
            else
            {
                foreach (var line in AnalysisOutput.Lines(snapshot, skipped))
                {
                    await output.WriteLineAsync(line).ConfigureAwait(false);
                }
            }

            foreach (var s in skipped)
            {
                await error.WriteLineAsync($"ebpf-console: analyze: {s.Source}: {s.Problem}").ConfigureAwait(false);
            }

            return snapshot.Classification.Verdict == DatapathVerdict.Unknown ? CliApp.ChecksFailed : CliApp.Ok;
        });
        return command;
    }

    private static List<AnalysisOutput.Skipped> Skipped(IEnumerable<FileReadResult> results)
    {
        var skipped = new List<AnalysisOutput.Skipped>();
        foreach (var r in results)
        {
            if (r.TruncatedAtEnd)
            {
                skipped.Add(new(r.Path, $"the file is truncated: its last record is cut ({r.Frames} packets read before it)"));
            }

            if (r.StoppedBy is not null)
            {
                skipped.Add(new(r.Path, $"reading stopped early: {r.StoppedBy} ({r.Frames} packets read before it)"));
            }

            foreach (var (linkType, count) in r.UndecodedLinkTypes)
            {
                skipped.Add(new(r.Path, $"link type {(int)linkType} is not decoded (supported: {FrameDecoder.SupportedLinkTypes}); its {count} packet(s) were counted as malformed"));
            }

            if (r.Skipped > 0)
            {
                skipped.Add(new(r.Path, $"{r.Skipped} record(s) could not be read and were skipped"));
            }
        }

        return skipped;
    }
}
