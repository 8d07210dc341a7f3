using EbpfConsole.Lab;

namespace EbpfConsole.Lab.Tests;

/// <summary>Records every command; answers from a rule list (first match wins), else exit 0 with no output.</summary>
internal sealed class FakeRunner : ICommandRunner
{
    private readonly List<(Func<string, bool> Match, CommandResult Result)> _rules = [];

    public List<string> Calls { get; } = [];

    public FakeRunner On(string commandContains, CommandResult result)
    {
        _rules.Add((c => c.Contains(commandContains, StringComparison.Ordinal), result));
        return this;
    }

    public Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, CancellationToken ct, string? stdin = null)
    {
        var line = new LabCommand(file, args).ToString();
        Calls.Add(line);
        var rule = _rules.FirstOrDefault(r => r.Match(line));
        return Task.FromResult(rule.Result ?? new CommandResult(0, string.Empty, string.Empty));
    }
}
