using System.Globalization;
using EbpfConsole.Core.Events;

namespace EbpfConsole.Cli.Shell;

/// <summary>
/// Mirrors the console's event log into a file: while the TUI owns the terminal, nothing may be written
/// to it, but an engineer still wants the log afterwards (CONVENTIONS.md).
/// </summary>
internal sealed class EventLogFile : IDisposable
{
    private readonly EventLog _log;
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();

    public EventLogFile(EventLog log, string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        _log = log;
        _log.Added += Write;
        FilePath = path;
    }

    public string FilePath { get; }

    public void Dispose()
    {
        _log.Added -= Write;
        lock (_gate)
        {
            _writer.Dispose();
        }
    }

    private void Write(ConsoleEvent e)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{e.Time:yyyy-MM-ddTHH:mm:ss.fffZ} {e.Level,-7} {e.Source}: {e.Message}");
        lock (_gate)
        {
            _writer.WriteLine(line);
        }
    }
}
