using System.Globalization;
using EbpfConsole.Core.Migration.Api;

namespace EbpfConsole.Core.Migration.Steps;

/// <summary>Reading calico-node's log for the lines DOMAIN.md says to grep (M3, M6), only lines written since a step began.</summary>
internal static class PodLogs
{
    public const string CalicoNodeContainer = "calico-node";

    /// <summary>
    /// The log's lines from the first one stamped at or after <paramref name="since"/> (Felix: "2026-11-27 12:00:00.123 [INFO]…",
    /// klog: "I1127 12:00:00.123456 …" is not dated and is kept). Null <paramref name="since"/>, or no dated line at all: every line.
    /// </summary>
    public static IReadOnlyList<string> Since(string log, DateTimeOffset? since)
    {
        var lines = log.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        if (since is not { } from)
        {
            return lines;
        }

        var floor = StepKit.FloorToSecond(from);
        var anyDated = false;
        for (var i = 0; i < lines.Count; i++)
        {
            if (Stamp(lines[i]) is { } at)
            {
                anyDated = true;
                if (at >= floor)
                {
                    return lines.Skip(i).ToList();
                }
            }
        }

        return anyDated ? [] : lines;
    }

    /// <summary>The leading timestamp of a Felix line, or null.</summary>
    public static DateTimeOffset? Stamp(string line) =>
        line.Length >= 23 && DateTimeOffset.TryParseExact(line[..23], "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;

    /// <summary>
    /// Each running pod's log lines since <paramref name="since"/>. A pod that is not running, or whose log the API refuses
    /// as not there yet (400/404 while it starts), has no lines; other API errors propagate.
    /// </summary>
    public static async Task<IReadOnlyList<(PodView Pod, IReadOnlyList<string> Lines)>> ReadAsync(
        StepContext ctx, string ns, IReadOnlyList<PodView> pods, DateTimeOffset? since, CancellationToken ct)
    {
        var logs = new List<(PodView, IReadOnlyList<string>)>();
        foreach (var pod in pods)
        {
            if (!pod.Running)
            {
                logs.Add((pod, []));
                continue;
            }

            try
            {
                var log = await ctx.Api.ReadLogAsync(ns, pod.Name, CalicoNodeContainer, null, ct).ConfigureAwait(false);
                logs.Add((pod, Since(log, since)));
            }
            catch (MigrationApiException e) when (e.Kind is ApiErrorKind.Invalid or ApiErrorKind.NotFound)
            {
                logs.Add((pod, [])); // the container is (re)starting: its log is not there yet
            }
        }

        return logs;
    }

    /// <summary>The last line containing <paramref name="text"/>, or null.</summary>
    public static string? Find(IReadOnlyList<string> lines, string text) =>
        lines.LastOrDefault(l => l.Contains(text, StringComparison.Ordinal));
}
