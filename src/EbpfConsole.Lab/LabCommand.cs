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

    public LabCommand Tolerant() => this with { AllowFailure = true };

    public override string ToString() => string.Join(' ', new[] { File }.Concat(Args.Select(Quote)));

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=+,@%".Contains(c, StringComparison.Ordinal))
            ? arg
            : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}

/// <summary>Runs <see cref="LabCommand"/>s and turns a failure into a <see cref="LabException"/> with context.</summary>
public sealed class LabShell(ICommandRunner runner)
{
    public ICommandRunner Runner { get; } = runner;

    public async Task<CommandResult> RunAsync(LabCommand command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        var result = await Runner.RunAsync(command.File, command.Args, ct, command.Stdin).ConfigureAwait(false);
        if (!result.Succeeded && !command.AllowFailure)
        {
            throw new LabException($"'{command}' failed with exit code {result.ExitCode}: {result.Tail()}");
        }

        return result;
    }

    public async Task RunAllAsync(IEnumerable<LabCommand> commands, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(commands);
        foreach (var command in commands)
        {
            await RunAsync(command, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a query whose failure is an answer (e.g. "link absent"), never an error.</summary>
    public Task<CommandResult> ProbeAsync(LabCommand command, CancellationToken ct) => RunAsync(command.Tolerant(), ct);
}
