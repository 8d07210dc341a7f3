namespace EbpfConsole.Core.Migration;

/// <summary>How the engine may act.</summary>
/// <param name="ReadOnly">Refuse every mutation (CLI and TUI; READ-ONLY shown at all times).</param>
/// <param name="DryRun">Send every mutation with the API server's server-side dry run (nothing is stored; journalled as dry run).</param>
/// <param name="ForceReason">Run blocked steps anyway; the reason goes into the journal. Null: blocked steps stay blocked.</param>
/// <param name="NodeCommands">The user consented to running node commands (M1, M10) over SSH.</param>
/// <param name="VerifyTimeout">How long Verify waits for pods, log lines and datapath evidence.</param>
/// <param name="PollInterval">How often Verify looks again.</param>
public sealed record MigrationOptions(
    bool ReadOnly = false,
    bool DryRun = false,
    string? ForceReason = null,
    bool NodeCommands = false,
    TimeSpan? VerifyTimeout = null,
    TimeSpan? PollInterval = null)
{
    public TimeSpan Timeout => VerifyTimeout ?? TimeSpan.FromMinutes(3);

    public TimeSpan Poll => PollInterval ?? TimeSpan.FromSeconds(1);
}
