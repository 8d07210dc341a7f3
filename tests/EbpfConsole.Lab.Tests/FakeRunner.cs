using EbpfConsole.Lab;

namespace EbpfConsole.Lab.Tests;

/// <summary>Records every command; answers from a rule list (first match wins), else exit 0 with no output.</summary>
internal sealed class FakeRunner : ICommandRunner
{
    private readonly List<(Func<string, bool> Match, Func<CancellationToken, Task<CommandResult>> Answer)> _rules = [];
    private readonly List<string> _calls = [];

    /// <summary>A snapshot of the command lines run so far.</summary>
    public List<string> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    public FakeRunner On(string commandContains, CommandResult result) => On(commandContains, _ => Task.FromResult(result));

    public FakeRunner On(string commandContains, Func<CancellationToken, Task<CommandResult>> answer)
    {
        _rules.Add((c => c.Contains(commandContains, StringComparison.Ordinal), answer));
        return this;
    }

    /// <summary>The command never finishes by itself: only cancellation (the shell's deadline) ends it, like a hung process.</summary>
    public FakeRunner Hang(string commandContains) => On(commandContains, async ct =>
    {
        await Task.Delay(Timeout.Infinite, ct);
        return new CommandResult(0, string.Empty, string.Empty);
    });

    public Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, CancellationToken ct, string? stdin = null)
    {
        var line = new LabCommand(file, args).ToString();
        lock (_calls)
        {
            _calls.Add(line);
        }

        var rule = _rules.FirstOrDefault(r => r.Match(line));
        return rule.Answer?.Invoke(ct) ?? Task.FromResult(new CommandResult(0, string.Empty, string.Empty));
    }
}
