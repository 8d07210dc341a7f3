using EbpfConsole.Core.Nodes;
using EbpfConsole.Core.Preflight;

namespace EbpfConsole.Tui.Presenters;

/// <summary>One node of the matrix: what the periodic probe says of it, its preflight row and the API's view (each may be missing).</summary>
public sealed record NodeRow(string Name, NodeStatus? Status, NodePreflight? Preflight, ClusterNode? Api = null)
{
    public string? Address => Preflight?.Address ?? Status?.Address ?? Api?.InternalIp;

    /// <summary>The kernel as the node's shell said it (probe), else as the API's nodeInfo says it.</summary>
    public string? Kernel => Status?.Kernel is { Length: > 0 } kernel ? kernel : Api?.Kernel;
}

/// <summary>
/// The Nodes pane's matrix (pure, like a k9s renderer): one row per node — the preflight's nodes in the API's order,
/// then any node only the periodic probe knows — and the columns NAME, SSH, one per node check id (P2, P3, P5 …),
/// ADDRESS and KERNEL (after the checks: with long node names the checks still fit 80 columns). The check columns come from <see cref="CheckCatalog.NodeChecks"/> plus any id found in the results.
/// Without a preflight (<c>null</c>: not available here) the matrix is the probe's table of <see cref="NodePresenter"/>.
/// </summary>
public sealed class NodeMatrix
{
    /// <summary>The first check column (after NAME and SSH).</summary>
    public const int FirstCheckColumn = 2;

    private NodeMatrix(IReadOnlyList<NodeRow> rows, IReadOnlyList<string> checkIds, bool hasPreflight)
    {
        Rows = rows;
        CheckIds = checkIds;
        HasPreflight = hasPreflight;
        Columns = hasPreflight ? ["NAME", "SSH", .. checkIds, "ADDRESS", "KERNEL"] : NodePresenter.Columns;
        Cells = [.. rows.Select(RowCells)];
    }

    public IReadOnlyList<NodeRow> Rows { get; }

    /// <summary>The node check ids, one column each, in catalog order.</summary>
    public IReadOnlyList<string> CheckIds { get; }

    /// <summary>False: preflight is not available here; the matrix is the probe's table.</summary>
    public bool HasPreflight { get; }

    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<IReadOnlyList<string>> Cells { get; }

    public static NodeMatrix Empty { get; } = From([], null);

    public static NodeMatrix From(IReadOnlyList<NodeStatus> nodes, PreflightSnapshot? preflight)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        if (preflight is null)
        {
            return new NodeMatrix([.. nodes.Select(n => new NodeRow(n.Name, n, null))], [], false);
        }

        var byName = nodes.GroupBy(n => n.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var api = (preflight.Cluster?.Nodes ?? []).GroupBy(n => n.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var rows = preflight.Nodes.Select(p => new NodeRow(p.Node, byName.GetValueOrDefault(p.Node), p, api.GetValueOrDefault(p.Node))).ToList();
        var known = rows.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        rows.AddRange(nodes.Where(n => !known.Contains(n.Name)).Select(n => new NodeRow(n.Name, n, null)));
        var ids = Ids(CheckCatalog.NodeChecks, preflight.Nodes.SelectMany(n => n.Results));
        return new NodeMatrix(rows, ids, true);
    }

    /// <summary>Catalog ids of the scope first, then any other id the results carry, each once.</summary>
    public static IReadOnlyList<string> Ids(IEnumerable<CheckDefinition> catalog, IEnumerable<CheckResult> results)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(results);
        return [.. catalog.Select(c => c.Id).Concat(results.Select(r => r.Id)).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>The check id of <paramref name="column"/>, or null for NAME, SSH, ADDRESS and KERNEL.</summary>
    public string? CheckIdAt(int column) =>
        HasPreflight && column >= FirstCheckColumn && column < FirstCheckColumn + CheckIds.Count ? CheckIds[column - FirstCheckColumn] : null;

    /// <summary>The column of <paramref name="checkId"/>, or -1.</summary>
    public int ColumnOf(string checkId)
    {
        var index = CheckIds.ToList().FindIndex(id => string.Equals(id, checkId, StringComparison.OrdinalIgnoreCase));
        return index < 0 ? -1 : FirstCheckColumn + index;
    }

    /// <summary>The result of <paramref name="checkId"/> on <paramref name="row"/>, if it has one.</summary>
    public static CheckResult? ResultOf(NodeRow row, string checkId)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Preflight?.Results.FirstOrDefault(r => string.Equals(r.Id, checkId, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The SSH cell: the preflight's failure when it has one (a short word; the selected-cell line has it in
    /// full), else the probe's state, else where the preflight of the node stands.
    /// </summary>
    public static string SshCell(NodeRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Preflight?.Failure is { Length: > 0 } failure)
        {
            return $"{Verdict.Fail.Glyph()} {FailureWord(failure)}";
        }

        if (row.Status is { } status)
        {
            return NodePresenter.State(status.Reachability);
        }

        return row.Preflight?.State switch
        {
            NodeRunState.Running => "… checking",
            NodeRunState.Pending => "· pending",
            NodeRunState.Done => "✓ up",
            _ => "? unknown",
        };
    }

    /// <summary>One or two words for a node failure: "host key", "timeout", "auth", "refused", "sudo", "unreachable" or "failed".</summary>
    public static string FailureWord(string failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        static bool Has(string text, string word) => text.Contains(word, StringComparison.OrdinalIgnoreCase);
        return Has(failure, "host key") ? "host key"
            : Has(failure, "timed out") || Has(failure, "timeout") ? "timeout"
            : Has(failure, "sudo") ? "sudo"
            : Has(failure, "auth") || Has(failure, "permission denied") ? "auth"
            : Has(failure, "refused") ? "refused"
            : Has(failure, "unreachable") || Has(failure, "no route") ? "unreachable"
            : "failed";
    }

    /// <summary>A check cell: the verdict glyph; … running, · pending; - when the node has no such result.</summary>
    public static string CheckCell(NodeRow row, string checkId)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Preflight switch
        {
            null => "-",
            { State: NodeRunState.Pending } => PreflightPresenter.PendingGlyph,
            { State: NodeRunState.Running } => PreflightPresenter.RunningGlyph,
            _ => ResultOf(row, checkId) is { } result ? result.Verdict.Glyph() : "-",
        };
    }

    private IReadOnlyList<string> RowCells(NodeRow row)
    {
        if (!HasPreflight)
        {
            return NodePresenter.ToRow(row.Status!);
        }

        return [row.Name, SshCell(row), .. CheckIds.Select(id => CheckCell(row, id)), row.Address ?? "-", row.Kernel is { Length: > 0 } kernel ? kernel : "-"];
    }
}
