namespace EbpfConsole.Lab;

/// <summary>
/// Runs <see cref="LabCommand"/>s and turns a failure into a <see cref="LabException"/> with context. Every
/// command has a deadline (<see cref="LabCommand.Timeout"/>, else <see cref="DefaultTimeout"/>): a command
/// that hangs (an `ip` stuck on a lock, a daemon that never detaches) is killed with its children, and the
/// exception names it, instead of hanging `lab up` or `down` for ever.
/// </summary>
public sealed class LabShell(ICommandRunner runner)
{
    public static TimeSpan StandardTimeout { get; } = TimeSpan.FromSeconds(30);

    public ICommandRunner Runner { get; } = runner;

    public TimeSpan DefaultTimeout { get; init; } = StandardTimeout;

    public async Task<CommandResult> RunAsync(LabCommand command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        var timeout = command.Timeout ?? DefaultTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        CommandResult result;
        try
        {
            result = await Runner.RunAsync(command.File, command.Args, deadline.Token, command.Stdin).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new LabException($"'{command}' did not finish within {timeout.TotalSeconds:0.###} s and was killed (with its child processes)", ex);
        }

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

    /// <summary>Runs a query whose failure is an answer (e.g. "link absent"), never an error. A timeout still throws.</summary>
    public Task<CommandResult> ProbeAsync(LabCommand command, CancellationToken ct) => RunAsync(command.Tolerant(), ct);
}
