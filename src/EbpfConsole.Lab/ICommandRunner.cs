namespace EbpfConsole.Lab;

/// <summary>The outcome of one external command: exit code and what it wrote.</summary>
public sealed record CommandResult(int ExitCode, string StdOut, string StdErr)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>The last few non-empty lines of stderr (or stdout when stderr is empty), for error messages.</summary>
    public string Tail(int lines = 3)
    {
        var text = string.IsNullOrWhiteSpace(StdErr) ? StdOut : StdErr;
        var tail = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(lines);
        return string.Join(" | ", tail);
    }
}

/// <summary>Runs an external program (ip, iptables, sshd…) to completion. The lab's only way to touch the system.</summary>
public interface ICommandRunner
{
    Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, CancellationToken ct, string? stdin = null);
}
