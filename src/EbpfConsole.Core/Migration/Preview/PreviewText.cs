namespace EbpfConsole.Core.Migration.Preview;

/// <summary>
/// A preview as the CLI prints it and the Checklist pane shows it (pure): a header line, then per change its summary,
/// the command a person would type for it, and what it does (the object diff, the pods, the node script verbatim, the
/// guidance), then the step's notes. A rollback plan is the previews of the steps it undoes, newest first.
/// </summary>
public static class PreviewText
{
    /// <summary>Said for a preview with no change.</summary>
    public const string NothingToChange = "nothing to change: already in the wanted state";

    /// <summary>Said under a node command: the engine runs it only with consent (M1, M10).</summary>
    public const string NodeConsent = "runs over SSH only with your consent: --node-commands in the CLI, Apply in the console's confirm dialog";

    private const string Pad = "   ";

    /// <summary>The lines for <paramref name="preview"/>.</summary>
    public static IReadOnlyList<string> Lines(StepPreview preview)
    {
        ArgumentNullException.ThrowIfNull(preview);
        return Render(preview, preview.Step.ToString());
    }

    /// <summary>The lines for <paramref name="plan"/>: what is undone, in order, then each step's changes.</summary>
    public static IReadOnlyList<string> Lines(RollbackPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var to = plan.To is { } target ? $"roll back to {target}" : "roll back everything";
        if (plan.IsEmpty)
        {
            return [$"{to}: nothing to roll back"];
        }

        var lines = new List<string> { $"{to}: undo {string.Join(", ", plan.Steps.Select(s => s.Step))}, in this order" };
        foreach (var step in plan.Steps)
        {
            lines.Add("");
            lines.AddRange(Render(step, $"undo {step.Step}"));
        }

        return lines;
    }

    private static List<string> Render(StepPreview preview, string title)
    {
        var lines = new List<string>();
        if (preview.IsEmpty)
        {
            lines.Add($"{title}: {NothingToChange}");
        }
        else
        {
            lines.Add($"{title}: {Count(preview.Changes.Count)}");
            var number = 0;
            foreach (var change in preview.Changes)
            {
                lines.Add("");
                lines.AddRange(Change(change, ++number));
            }
        }

        if (preview.Notes.Count > 0)
        {
            lines.Add("");
            lines.AddRange(preview.Notes.Select(n => $"note: {n}"));
        }

        return lines;
    }

    private static string Count(int changes) => changes == 1 ? "1 change" : $"{changes} changes";

    /// <summary>"1. summary", then the change's lines indented under it.</summary>
    private static IEnumerable<string> Change(PlannedChange change, int number)
    {
        yield return $"{number}. {change.Summary}";
        foreach (var line in Body(change))
        {
            yield return line.Length == 0 ? "" : Pad + line;
        }
    }

    private static IEnumerable<string> Body(PlannedChange change) => change switch
    {
        ObjectChange objectChange => ObjectBody(objectChange),
        PodRestart restart => RestartBody(restart),
        SnapshotObjects snapshot => snapshot.Targets.Select(t => $"$ kubectl get {t.KubectlName} -o json"),
        // The script verbatim, as the heredoc a person would type: no quoting to undo in one's head.
        NodeCommand command => [NodeConsent, $"$ ssh {command.Node} sh -s <<'EOF'", .. command.Script.TrimEnd('\n').Split('\n'), "EOF"],
        Guidance => ["by hand: the console never does this itself"],
        _ => ["$ " + change.Equivalent],
    };

    private static IEnumerable<string> ObjectBody(ObjectChange change)
    {
        yield return "$ " + change.Equivalent;
        foreach (var line in ObjectDiff.Lines(change.Before, change.After))
        {
            yield return line;
        }
    }

    private static IEnumerable<string> RestartBody(PodRestart restart)
    {
        yield return "$ " + restart.Equivalent;
        yield return restart.Pods.Count == 0
            ? "no pod matches now"
            : $"pods now: {string.Join(", ", restart.Pods)}";
    }

    /// <summary>The target's diff only (for a detail view of one change).</summary>
    public static IReadOnlyList<string> Diff(ObjectChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return ObjectDiff.Lines(change.Before, change.After);
    }

    /// <summary>One line per change, for logs and lists: "M4: patch daemonsets kube-system/kube-proxy (strategic)".</summary>
    public static IReadOnlyList<string> Summaries(StepPreview preview)
    {
        ArgumentNullException.ThrowIfNull(preview);
        return preview.IsEmpty ? [$"{preview.Step}: {NothingToChange}"] : [.. preview.Changes.Select(c => $"{preview.Step}: {c.Summary}")];
    }
}
