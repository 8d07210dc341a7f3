namespace EbpfConsole.Lab;

/// <summary>
/// One command the lab runs, as data: the builders (<see cref="LabTopologyBuilder"/>, <see cref="DatapathPlan"/>)
/// return lists of these so tests can read exactly what would be run. <see cref="AllowFailure"/> marks
/// clean-up steps whose target may legitimately be absent.
/// </summary>
public sealed record LabCommand(string File, IReadOnlyList<string> Args, string? Stdin = null, bool AllowFailure = false)
{
    /// <summary>`ip ARGS` in the root namespace.</summary>
    public static LabCommand Ip(params string[] args) => new("ip", args);

    /// <summary>`ip -n NS ARGS`.</summary>
    public static LabCommand IpIn(string ns, params string[] args) => new("ip", ["-n", ns, .. args]);

    /// <summary>`ip netns exec NS FILE ARGS`.</summary>
    public static LabCommand Exec(string ns, string file, params string[] args) => new("ip", ["netns", "exec", ns, file, .. args]);

    /// <summary>`ip netns exec NS sysctl -qw K=V…`; keys use the slash form so interface names may contain dots.</summary>
    public static LabCommand Sysctl(string ns, params string[] settings) => Exec(ns, "sysctl", ["-qw", .. settings]);

    /// <summary>`ip netns exec NS iptables-restore` fed with <paramref name="rules"/> (replaces the tables it names).</summary>
    public static LabCommand IptablesRestore(string ns, string rules) => Exec(ns, "iptables-restore") with { Stdin = rules };

    /// <summary>How long the command may run before <see cref="LabShell"/> kills it; null means the shell's default.</summary>
    public TimeSpan? Timeout { get; init; }

    public LabCommand Tolerant() => this with { AllowFailure = true };

    public LabCommand WithTimeout(TimeSpan timeout) => this with { Timeout = timeout };

    public override string ToString() => string.Join(' ', new[] { File }.Concat(Args.Select(Quote)));

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=+,@%".Contains(c, StringComparison.Ordinal))
            ? arg
            : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
