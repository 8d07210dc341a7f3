using System.Globalization;
using System.Text.RegularExpressions;

namespace EbpfConsole.Capture.Remote;

/// <summary>
/// What tcpdump (and the shell and sudo around it) wrote to stderr: the statistics lines give the kernel's drops
/// (the latest report wins: tcpdump prints totals), everything else is kept (the last <see cref="MaxLines"/> lines)
/// to explain a failure. Thread-safe: one thread adds, others read.
/// </summary>
public sealed partial class TcpdumpStderr
{
    public const int MaxLines = 20;

    private readonly Lock _lock = new();
    private readonly Queue<string> _lines = new();
    private long _kernelDropped;
    private bool _listening;

    /// <summary>Packets the kernel dropped, from tcpdump's latest statistics report.</summary>
    public long KernelDropped => Interlocked.Read(ref _kernelDropped);

    /// <summary>True once tcpdump said "listening on …": the capture is running.</summary>
    public bool Listening => Volatile.Read(ref _listening);

    /// <summary>The last lines that are not routine (not statistics, not "listening on"), oldest first.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>The kept lines joined with "; " (one line), or null when there are none.</summary>
    public string? Summary
    {
        get
        {
            var lines = Lines;
            return lines.Count == 0 ? null : string.Join("; ", lines);
        }
    }

    public void Add(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = TcpdumpCommand.Display(line.Trim());
        if (text.Length == 0)
        {
            return;
        }

        var dropped = KernelDropsPattern().Match(text);
        if (dropped.Success && long.TryParse(dropped.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            Interlocked.Exchange(ref _kernelDropped, count);
        }

        if (text.StartsWith("tcpdump: listening on", StringComparison.Ordinal))
        {
            Volatile.Write(ref _listening, true);
            return;
        }

        if (dropped.Success || RoutinePattern().IsMatch(text))
        {
            return;
        }

        lock (_lock)
        {
            _lines.Enqueue(text.Length > 300 ? text[..300] + "…" : text);
            while (_lines.Count > MaxLines)
            {
                _lines.Dequeue();
            }
        }
    }

    [GeneratedRegex(@"(\d+) packets? dropped by kernel")]
    private static partial Regex KernelDropsPattern();

    /// <summary>tcpdump's statistics lines ("12 packets captured", "… received by filter", "… dropped by interface").</summary>
    [GeneratedRegex(@"^(tcpdump: )?\d+ packets? (captured|received by filter|dropped by interface)")]
    private static partial Regex RoutinePattern();
}
