namespace EbpfConsole.Core.Migration;

/// <summary>The migration steps of DOMAIN.md's table (M9 does not exist there).</summary>
public enum StepId
{
    /// <summary>Snapshot the objects the migration touches.</summary>
    M0,

    /// <summary>kube-proxy ipvs → iptables.</summary>
    M1,

    /// <summary>ConfigMap kubernetes-services-endpoint.</summary>
    M2,

    /// <summary>Restart calico-node (manifest).</summary>
    M3,

    /// <summary>Disable kube-proxy.</summary>
    M4,

    /// <summary>Operator ≥ 3.31: Installation BPF + bootstrap + kubeProxyManagement.</summary>
    M5,

    /// <summary>Enable the eBPF dataplane.</summary>
    M6,

    /// <summary>DSR.</summary>
    M7,

    /// <summary>Test workload: nginx + NodePort 30604.</summary>
    M8,

    /// <summary>Emergency tc cleanup on a dark node.</summary>
    M10,
}

/// <summary>Parsing and ordering of <see cref="StepId"/>.</summary>
public static class StepIds
{
    public static IReadOnlyList<StepId> All { get; } = Enum.GetValues<StepId>();

    /// <summary>Accepts "M6", "m6" and "6".</summary>
    public static bool TryParse(string? text, out StepId id)
    {
        var t = text?.Trim() ?? "";
        if (t.Length > 0 && char.IsDigit(t[0]))
        {
            t = "M" + t;
        }

        id = default;
        return t.Length > 1 && (t[0] is 'M' or 'm') && t[1..].All(char.IsDigit)
            && Enum.TryParse(t.ToUpperInvariant(), out id) && Enum.IsDefined(id);
    }
}

/// <summary>Where a step stands, as the Checklist pane and <c>migrate status</c> show it.</summary>
public enum StepState
{
    /// <summary>Not yet in the wanted state.</summary>
    Pending,

    /// <summary>In the wanted state (applied and verified, or found so by Check).</summary>
    Done,

    /// <summary>A precondition fails (a failed preflight check, an earlier step not done); the reason says which.</summary>
    Blocked,

    /// <summary>Being applied, verified or rolled back now.</summary>
    Running,

    /// <summary>Apply or verify failed; the reason says why.</summary>
    Failed,

    /// <summary>Rolled back.</summary>
    RolledBack,

    /// <summary>Not part of this cluster's plan (another variant, or not needed); the reason says why.</summary>
    NotApplicable,

    /// <summary>The console stopped (killed, connection lost) in the middle of this step: resume or roll back.</summary>
    Interrupted,
}

/// <summary>Names and glyphs that read without colour.</summary>
public static class StepStates
{
    public static string ToName(this StepState state) => state switch
    {
        StepState.Pending => "pending",
        StepState.Done => "done",
        StepState.Blocked => "blocked",
        StepState.Running => "running",
        StepState.Failed => "failed",
        StepState.RolledBack => "rolled back",
        StepState.NotApplicable => "n/a",
        StepState.Interrupted => "interrupted",
        _ => "unknown",
    };

    public static string Glyph(this StepState state) => state switch
    {
        StepState.Pending => "○",
        StepState.Done => "✓",
        StepState.Blocked => "⊘",
        StepState.Running => "…",
        StepState.Failed => "✗",
        StepState.RolledBack => "↶",
        StepState.NotApplicable => "·",
        StepState.Interrupted => "!",
        _ => "?",
    };
}
