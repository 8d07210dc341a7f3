using System.Globalization;
using System.Text;
using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Cli.Preflight;

/// <summary>`preflight` as text: the cluster line, the cluster checks, the nodes × checks table, then the details of what
/// did not pass (fail and unknown in full with evidence and remediation, warn in one line each), and a summary line.</summary>
internal static class PreflightText
{
    public const string Legend = "✓ pass  ! warn  ✗ fail  ? unknown";

    public static string Render(PreflightSnapshot run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var text = new StringBuilder();
        if (run.Cluster is { } cluster)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"cluster: {cluster.Server}{(cluster.ServerVersion is { } v ? $" ({v})" : "")}");
            text.AppendLine(CultureInfo.InvariantCulture,
                $"calico:  {cluster.InstallType}{(cluster.CalicoVersion is { } cv ? $" {cv}" : "")}{(cluster.CalicoNamespace is { } ns ? $" in {ns}" : "")}, " +
                $"BPF {(cluster.BpfEnabled ? "on" : "off")} ({cluster.ExternalServiceMode}), kube-proxy {cluster.KubeProxy}, API {cluster.CalicoApiGroup}, " +
                $"kubernetes endpoints {cluster.KubernetesEndpoints}");
        }

        if (run.Error is { } error)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"preflight could not run: {error}");
            return text.ToString();
        }

        if (run.ClusterChecks.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"cluster checks: {string.Join("  ", run.ClusterChecks.Select(r => $"{r.Id} {r.Verdict.Glyph()}"))}");
        }

        AppendMatrix(text, run);
        AppendDetails(text, run);
        var counts = PreflightOutcome.Count(run);
        var took = run.FinishedAt - run.StartedAt is { } t ? $" in {t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s" : "";
        text.AppendLine(CultureInfo.InvariantCulture, $"summary: {run.Nodes.Count} node(s) checked{took}: {counts}");
        if (run.Nodes.Count > 1 && run.Nodes.All(n => n.Failure is not null))
        {
            text.AppendLine("hint: no node could be reached over SSH; set the login with --ssh-user, --identity, --jump or ~/.ssh/config (Host entries match node names and InternalIPs)");
        }

        return text.ToString();
    }

    /// <summary>One line per finished node, for progress on stderr while the run goes on.</summary>
    public static string NodeLine(NodePreflight node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var took = node.Elapsed is { } e ? $" ({e.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s)" : "";
        if (node.Failure is { } failure)
        {
            return $"{node.Node}: unreachable{took}: {failure}";
        }

        var worst = node.Results.Aggregate(Verdict.Pass, (w, r) => Verdicts.Worst(w, r.Verdict));
        return $"{node.Node}: {worst.Glyph()} {node.Results.Count(r => r.Verdict == Verdict.Fail)} fail, {node.Results.Count(r => r.Verdict == Verdict.Warn)} warn{took}";
    }

    private static void AppendMatrix(StringBuilder text, PreflightSnapshot run)
    {
        var ids = run.Nodes.SelectMany(n => n.Results).Select(r => r.Id).Distinct().OrderBy(CatalogIndex).ToArray();
        if (run.Nodes.Count == 0)
        {
            text.AppendLine("nodes: none");
            return;
        }

        var nameWidth = Math.Max(4, run.Nodes.Max(n => n.Node.Length));
        var addressWidth = Math.Max(7, run.Nodes.Max(n => n.Address.Length));
        var header = new StringBuilder().Append("NODE".PadRight(nameWidth)).Append("  ").Append("ADDRESS".PadRight(addressWidth));
        foreach (var id in ids)
        {
            header.Append(' ').Append(id.PadRight(Math.Max(3, id.Length)));
        }

        text.AppendLine(header.ToString().TrimEnd());
        foreach (var node in run.Nodes)
        {
            var row = new StringBuilder().Append(node.Node.PadRight(nameWidth)).Append("  ").Append(node.Address.PadRight(addressWidth));
            foreach (var id in ids)
            {
                var cell = node.Results.FirstOrDefault(r => r.Id == id)?.Verdict.Glyph() ?? "-";
                row.Append(' ').Append(cell.PadRight(Math.Max(3, id.Length)));
            }

            if (node.Failure is not null)
            {
                row.Append("  unreachable");
            }

            text.AppendLine(row.ToString().TrimEnd());
        }

        text.AppendLine(Legend);
    }

    private static void AppendDetails(StringBuilder text, PreflightSnapshot run)
    {
        var notPassed = run.AllResults.Where(r => r.Verdict != Verdict.Pass).ToArray();
        if (notPassed.Length == 0)
        {
            return;
        }

        text.AppendLine();
        // Unreachable nodes: one block per node, not one per check (all its SSH checks share the reason).
        foreach (var node in run.Nodes.Where(n => n.Failure is not null))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"? {node.Node}: could not be checked over SSH: {node.Failure}");
        }

        foreach (var result in notPassed.Where(r => r.Verdict is Verdict.Fail or Verdict.Unknown).Where(r => !SharesNodeFailure(run, r)))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{result.Verdict.Glyph()} {result.Id} {result.Title}{On(result)}: {result.Verdict.ToName()} — {result.Reason}");
            text.AppendLine("  evidence:");
            foreach (var line in result.Evidence.Split('\n'))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    {line.TrimEnd('\r')}");
            }

            if (result.Remediation is { } fix)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  remediation: {fix}");
            }
        }

        foreach (var result in notPassed.Where(r => r.Verdict == Verdict.Warn))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"! {result.Id} {result.Title}{On(result)}: warn — {result.Reason}");
        }

        text.AppendLine();
    }

    private static bool SharesNodeFailure(PreflightSnapshot run, CheckResult result) =>
        result.Verdict == Verdict.Unknown && result.Node is { } name && run.Nodes.FirstOrDefault(n => n.Node == name)?.Failure is { } failure
        && result.Reason.Contains(failure, StringComparison.Ordinal);

    private static string On(CheckResult result) => result.Node is null ? " (cluster)" : $" on {result.Node}";

    private static int CatalogIndex(string id)
    {
        var index = CheckCatalog.All.ToList().FindIndex(c => c.Id == id);
        return index < 0 ? int.MaxValue : index;
    }
}
