using System.Text;

namespace EbpfConsole.Core.Migration.Journal;

/// <summary>
/// The journal as a JSON-lines file (one per cluster context). A writer holds an exclusive lock on
/// "&lt;file&gt;.lock" for its lifetime (released by the kernel when the process dies, even by SIGKILL), so two
/// consoles never migrate the same cluster at once; readers (<c>migrate status</c>) need no lock. Every append is
/// flushed to disk before it returns.
/// </summary>
public sealed class JsonLinesJournal : IMigrationJournal, IDisposable
{
    private readonly List<JournalEntry> _entries = [];
    private readonly List<string> _warnings = [];
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private FileStream? _writer;
    private FileStream? _lock;

    private JsonLinesJournal(string path, TimeProvider time)
    {
        Location = path;
        _time = time;
    }

    public string Location { get; }

    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_gate)
            {
                return _warnings.ToList();
            }
        }
    }

    /// <summary>Opens for reading only (no lock; appending throws). A missing file is an empty journal.</summary>
    public static JsonLinesJournal OpenReadOnly(string path, TimeProvider? time = null)
    {
        var journal = new JsonLinesJournal(path, time ?? TimeProvider.System);
        journal.Load();
        return journal;
    }

    /// <summary>Opens for appending: creates the directory (mode 0700) and file, takes the lock. Throws <see cref="JournalException"/>.</summary>
    public static JsonLinesJournal OpenForWriting(string path, TimeProvider? time = null)
    {
        var journal = new JsonLinesJournal(path, time ?? TimeProvider.System);
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (!Directory.Exists(dir))
            {
                if (OperatingSystem.IsWindows())
                {
                    Directory.CreateDirectory(dir);
                }
                else
                {
                    Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            try
            {
                journal._lock = new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException ex)
            {
                throw new JournalException($"another console is changing this cluster (its journal {path} is locked: {ex.Message})", ex);
            }

            journal.Load();
            // The journal holds cluster objects as they were: readable by its owner only.
            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            journal._writer = new FileStream(path, options);
            if (journal._writer.Length > 0 && !EndsWithNewline(path))
            {
                // Killed mid-line: start the next entry on its own line (the torn one is skipped when read).
                journal._writer.Write("\n"u8);
                journal._writer.Flush(flushToDisk: true);
            }

            return journal;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            journal.Dispose();
            throw new JournalException($"cannot open the migration journal {path}: {ex.Message}", ex);
        }
    }

    public IReadOnlyList<JournalEntry> ReadAll()
    {
        lock (_gate)
        {
            return _entries.ToList();
        }
    }

    public JournalEntry Append(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            if (_writer is null)
            {
                throw new JournalException($"the journal {Location} is open for reading only");
            }

            var written = entry with { Seq = (_entries.Count == 0 ? 0 : _entries[^1].Seq) + 1, At = _time.GetUtcNow() };
            try
            {
                _writer.Write(Encoding.UTF8.GetBytes(JournalJson.ToLine(written) + "\n"));
                _writer.Flush(flushToDisk: true);
            }
            catch (IOException ex)
            {
                throw new JournalException($"cannot write the migration journal {Location}: {ex.Message}", ex);
            }

            _entries.Add(written);
            return written;
        }
    }

    public void Dispose()
    {
        _writer?.Dispose();
        _lock?.Dispose();
        _writer = null;
        _lock = null;
    }

    private static bool EndsWithNewline(string path)
    {
        using var read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (read.Length == 0)
        {
            return true;
        }

        read.Seek(-1, SeekOrigin.End);
        return read.ReadByte() == '\n';
    }

    private void Load()
    {
        if (!File.Exists(Location))
        {
            return;
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(Location);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new JournalException($"cannot read the migration journal {Location}: {ex.Message}", ex);
        }

        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            try
            {
                _entries.Add(JournalJson.FromLine(lines[i]));
            }
            catch (FormatException ex)
            {
                _warnings.Add($"{Location}:{i + 1}: skipped a line that cannot be read ({ex.Message}){(i == lines.Length - 1 ? "; probably cut off when the console was killed" : "")}");
            }
        }
    }
}
