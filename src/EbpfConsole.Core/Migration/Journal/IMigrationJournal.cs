namespace EbpfConsole.Core.Migration.Journal;

/// <summary>
/// The append-only record of a cluster's migration. Every append is on disk (flushed) before it returns, so a
/// console killed with SIGKILL loses nothing it had started. Throws <see cref="JournalException"/> when the
/// journal cannot be read or written (the message names the file).
/// </summary>
public interface IMigrationJournal
{
    /// <summary>Where it lives, for messages ("~/.local/state/ebpf-console/migrations/lab.jsonl").</summary>
    string Location { get; }

    /// <summary>Every entry, oldest first. A torn last line (killed mid-write) is skipped and reported in <see cref="Warnings"/>.</summary>
    IReadOnlyList<JournalEntry> ReadAll();

    /// <summary>Appends one entry (its Seq and At are assigned here) and returns it as written.</summary>
    JournalEntry Append(JournalEntry entry);

    /// <summary>Problems met while reading (a torn or unreadable line), for the user.</summary>
    IReadOnlyList<string> Warnings { get; }
}

/// <summary>The journal cannot be used; one line naming the file and the cause.</summary>
public sealed class JournalException : Exception
{
    public JournalException()
    {
    }

    public JournalException(string message)
        : base(message)
    {
    }

    public JournalException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
