using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration.Api;

namespace EbpfConsole.Core.Migration.Journal;

/// <summary>What a journal line records.</summary>
public enum JournalEntryType
{
    /// <summary>A console session opened the journal (server, identity, install variant).</summary>
    Session,

    /// <summary>M0: one object as it was (Before; null = absent).</summary>
    Snapshot,

    /// <summary>Check found the step already in its wanted state and marked it done.</summary>
    Check,

    /// <summary>An apply or rollback of a step starts (Force: the reason a blocked step ran anyway).</summary>
    StepBegin,

    /// <summary>About to change an object: Before = the object as it was, Body = the patch/object sent. Written before the request.</summary>
    MutationBegin,

    /// <summary>The change was made: After = the object as the server answered.</summary>
    MutationDone,

    /// <summary>The change was refused or failed (Message); nothing was changed by it.</summary>
    MutationFailed,

    /// <summary>An apply or rollback ended: Outcome applied / rolled-back / failed / cancelled / conflict.</summary>
    StepEnd,

    /// <summary>Verify finished: Outcome ok / failed, Lines = the evidence.</summary>
    Verify,

    /// <summary>A capture taken around a datapath change: Message = the pin's name, Outcome = the verdict.</summary>
    Proof,
}

/// <summary>Apply or roll back.</summary>
public enum JournalOp
{
    Apply,
    Rollback,
}

/// <summary>
/// One line of the migration journal (JSON lines, one file per cluster context, under the user's state directory).
/// Fields are set according to <see cref="Type"/>; see <see cref="JournalEntryType"/>.
/// </summary>
public sealed record JournalEntry
{
    public required long Seq { get; init; }

    public required DateTimeOffset At { get; init; }

    public required JournalEntryType Type { get; init; }

    public StepId? Step { get; init; }

    public JournalOp? Op { get; init; }

    /// <summary>The object changed or snapshotted.</summary>
    public ObjectRef? Target { get; init; }

    /// <summary>create, patch, replace, delete, restart, node.</summary>
    public string? Change { get; init; }

    /// <summary>The object as it was (MutationBegin, Snapshot); null = did not exist.</summary>
    public JsonObject? Before { get; init; }

    /// <summary>What was sent (patch body, created object).</summary>
    public JsonObject? Body { get; init; }

    /// <summary>The object as the server answered (MutationDone).</summary>
    public JsonObject? After { get; init; }

    public string? Outcome { get; init; }

    public string? Message { get; init; }

    /// <summary>The mutation used the server-side dry run: nothing was stored.</summary>
    public bool DryRun { get; init; }

    /// <summary>Why a blocked step ran anyway (--force).</summary>
    public string? Force { get; init; }

    /// <summary>Verify evidence, preview lines.</summary>
    public IReadOnlyList<string>? Lines { get; init; }
}
