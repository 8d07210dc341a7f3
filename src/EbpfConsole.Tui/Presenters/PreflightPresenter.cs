using System.Globalization;
using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Tui.Presenters;

/// <summary>
/// The preflight side of the Nodes pane as text (pure): the cluster summary, the cluster checks row, the
/// progress line, the legend and the one-line description of the selected cell. Verdicts are glyphs that
/// keep their meaning without colour (<see cref="Verdicts.Glyph"/>): ✓ pass, ! warn, ✗ fail, ? unknown,
/// plus … running and · pending for cells without a result yet.
/// </summary>
public static class PreflightPresenter
{
    public const string RunningGlyph = "…";

    public const string PendingGlyph = "·";

    private const string Dot = " · ";

    /// <summary>The first cell of the cluster row; Enter on it lists every cluster check.</summary>
    public const string ClusterCell = "cluster";

    public const string Legend = "✓ pass  ! warn  ✗ fail  ? unknown  … running  · pending";

    /// <summary>What the pane says while preflight has never run.</summary>
    public const string NotRun = "preflight has not run yet — r runs it";

    /// <summary>A verdict as glyph and word: "✗ fail".</summary>
    public static string VerdictText(Verdict verdict) => $"{verdict.Glyph()} {verdict.ToName()}";

    /// <summary>
    /// Up to two summary lines: "Calico v3.29.3 manifest · kube-proxy iptables · BPF off · Tunnel · API crd.projectcalico.org/v1 · 2 nodes"
    /// and "server https://… (v1.32.0) · endpoints 10.0.0.1:6443"; when the first is wider than <paramref name="width"/>, the API
    /// group moves to the second. While the cluster is not read yet, one line saying so.
    /// </summary>
    public static IReadOnlyList<string> Summary(PreflightSnapshot preflight, int width = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(preflight);
        if (preflight.Cluster is not { } cluster)
        {
            return [preflight.Running ? "reading the cluster…" : preflight.Error is null ? "cluster not read yet" : "cluster could not be read"];
        }

        var calico = cluster.InstallType == "not found"
            ? "Calico not found"
            : $"Calico {cluster.CalicoVersion ?? "version ?"} {cluster.InstallType}";
        var api = $"API {cluster.CalicoApiGroup}";
        List<string> first = [calico, $"kube-proxy {cluster.KubeProxy}", cluster.BpfEnabled ? "BPF on" : "BPF off", cluster.ExternalServiceMode, api, Count(cluster.Nodes.Count, "node")];
        List<string> second =
        [
            cluster.ServerVersion is { Length: > 0 } version ? $"server {cluster.Server} ({version})" : $"server {cluster.Server}",
            string.IsNullOrWhiteSpace(cluster.KubernetesEndpoints) ? "endpoints ?" : $"endpoints {cluster.KubernetesEndpoints}",
        ];
        if (string.Join(Dot, first).Length > width)
        {
            first.Remove(api);
            second.Insert(0, api);
        }

        return [string.Join(Dot, first), string.Join(Dot, second)];
    }

    /// <summary>
    /// The progress/status line: "preflight could not run: …" in full, "checking… 3/12 nodes" while running,
    /// "checked 12 nodes in 2.1 s at 13:40:02 — 1 fail, 3 warn, 2 unknown" when done, or that it has not run.
    /// </summary>
    public static string Progress(PreflightSnapshot preflight, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(preflight);
        ArgumentNullException.ThrowIfNull(zone);
        if (preflight.Error is { Length: > 0 } error)
        {
            return error.StartsWith("preflight could not run", StringComparison.OrdinalIgnoreCase) ? error : $"preflight could not run: {error}";
        }

        var done = preflight.Nodes.Count(n => n.State == NodeRunState.Done);
        if (preflight.Running)
        {
            return $"checking… {done}/{preflight.Nodes.Count} nodes";
        }

        if (preflight.FinishedAt is not { } finished)
        {
            return NotRun;
        }

        var took = preflight.StartedAt is { } started ? $" in {Duration(finished - started)}" : "";
        var at = TimeZoneInfo.ConvertTime(finished, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        return $"checked {Count(preflight.Nodes.Count, "node")}{took} at {at} — {Tally(preflight.AllResults)}";
    }

    /// <summary>"1 fail, 3 warn, 2 unknown" (zeros left out), "all pass", or "no results".</summary>
    public static string Tally(IEnumerable<CheckResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var list = results.ToList();
        if (list.Count == 0)
        {
            return "no results";
        }

        var parts = new[] { Verdict.Fail, Verdict.Warn, Verdict.Unknown }
            .Select(v => (Verdict: v, Count: list.Count(r => r.Verdict == v)))
            .Where(p => p.Count > 0)
            .Select(p => $"{p.Count} {p.Verdict.ToName()}")
            .ToList();
        return parts.Count == 0 ? "all pass" : string.Join(", ", parts);
    }

    /// <summary>"2.1 s" under a minute, else "3 min 04 s".</summary>
    public static string Duration(TimeSpan duration)
    {
        var value = duration < TimeSpan.Zero ? TimeSpan.Zero : duration;
        return value.TotalSeconds < 60
            ? string.Create(CultureInfo.InvariantCulture, $"{value.TotalSeconds:0.0} s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)value.TotalMinutes} min {value.Seconds:00} s");
    }

    /// <summary>The cluster check ids, one cell each after the <see cref="ClusterCell"/>: catalog order, then any other id the results carry.</summary>
    public static IReadOnlyList<string> ClusterIds(PreflightSnapshot preflight)
    {
        ArgumentNullException.ThrowIfNull(preflight);
        return NodeMatrix.Ids(CheckCatalog.ClusterChecks, preflight.ClusterChecks);
    }

    /// <summary>The cluster row's cells: "cluster", then "P1 ✓ ", "P8 ✗ ", "P4 … " (running), "P7 · " (not read).</summary>
    public static IReadOnlyList<string> ClusterRow(PreflightSnapshot preflight)
    {
        ArgumentNullException.ThrowIfNull(preflight);
        // A trailing space: cells read "P1 ✓  P4 ✓" with the table's own separator.
        return [ClusterCell, .. ClusterIds(preflight).Select(id => $"{id} {ClusterGlyph(preflight, id)} ")];
    }

    /// <summary>The result of cluster check <paramref name="id"/>, if read.</summary>
    public static CheckResult? ClusterResult(PreflightSnapshot preflight, string id)
    {
        ArgumentNullException.ThrowIfNull(preflight);
        return preflight.ClusterChecks.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The title of check <paramref name="id"/>: the result's, else the catalog's, else empty.</summary>
    public static string Title(string id, CheckResult? result) => result?.Title ?? CheckCatalog.Find(id)?.Title ?? "";

    /// <summary>"node-2 P5 BPF filesystem: ✗ fail — /sys/fs/bpf is not mounted" (the Reason in one line); "cluster P8 …" for cluster checks.</summary>
    public static string ResultLine(CheckResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var title = result.Title.Length > 0 ? $" {result.Title}" : "";
        return $"{result.Node ?? ClusterCell} {result.Id}{title}: {VerdictText(result.Verdict)} — {NodePresenter.OneLine(result.Reason)}";
    }

    /// <summary>The line for a check cell of <paramref name="row"/>: its result, or where the node stands.</summary>
    public static string CheckLine(NodeRow row, string id)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (NodeMatrix.ResultOf(row, id) is { } result)
        {
            return ResultLine(result);
        }

        var head = Title(id, null) is { Length: > 0 } title ? $"{row.Name} {id} {title}" : $"{row.Name} {id}";
        return row.Preflight?.State switch
        {
            null => $"{head}: - not checked (the API does not list this node)",
            NodeRunState.Pending => $"{head}: {PendingGlyph} pending — waiting for a free slot",
            NodeRunState.Running => $"{head}: {RunningGlyph} running",
            _ => $"{head}: - no result on this node",
        };
    }

    /// <summary>The line for a cluster cell: the check's result, where the run stands, or (on "cluster") the tally.</summary>
    public static string ClusterLine(PreflightSnapshot preflight, string? id)
    {
        ArgumentNullException.ThrowIfNull(preflight);
        if (id is null)
        {
            return preflight.ClusterChecks.Count == 0
                ? $"{ClusterCell}: {(preflight.Running ? "checks running" : "no cluster checks yet")}"
                : $"{ClusterCell}: {preflight.ClusterChecks.Count} checks — {Tally(preflight.ClusterChecks)} (Enter lists them)";
        }

        if (ClusterResult(preflight, id) is { } result)
        {
            return ResultLine(result);
        }

        var head = Title(id, null) is { Length: > 0 } title ? $"{ClusterCell} {id} {title}" : $"{ClusterCell} {id}";
        return preflight.Running ? $"{head}: {RunningGlyph} running" : $"{head}: - not read";
    }

    /// <summary>The line for the NAME, SSH, ADDRESS and KERNEL cells: the probe's detail, then the preflight's state or failure in full.</summary>
    public static string NodeLine(NodeRow row, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(row);
        var probe = row.Status is { } status ? NodePresenter.Detail(status, zone) : $"{row.Name} ({row.Address ?? "no address"})";
        return row.Preflight is { } preflight ? $"{probe} · preflight: {NodeState(preflight)}" : probe;
    }

    /// <summary>"done in 1.2 s — 1 fail", "running", "pending", or "✗ failed: ssh …" in full.</summary>
    public static string NodeState(NodePreflight preflight)
    {
        ArgumentNullException.ThrowIfNull(preflight);
        return preflight.State switch
        {
            NodeRunState.Pending => "pending",
            NodeRunState.Running => "running",
            _ when preflight.Failure is { Length: > 0 } failure => $"✗ {NodePresenter.OneLine(failure)}",
            _ => preflight.Elapsed is { } took
                ? $"done in {Duration(took)} — {Tally(preflight.Results)}"
                : $"done — {Tally(preflight.Results)}",
        };
    }

    private static string ClusterGlyph(PreflightSnapshot preflight, string id) =>
        ClusterResult(preflight, id) is { } result ? result.Verdict.Glyph() : preflight.Running ? RunningGlyph : PendingGlyph;

    private static string Count(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";
}
