using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace EbpfConsole.Lab.ApiServer;

/// <summary>
/// Writes log lines (with exception details) to one file, appending; never to the console. Each write goes to
/// the file's current end, so lines from the daemon's redirected stdout/stderr (same file) are not overwritten.
/// </summary>
internal sealed class FileLoggerProvider : ILoggerProvider
{
    private readonly FileStream _stream;
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;

    public FileLoggerProvider(string path, TimeProvider time)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
        _time = time;
    }

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void Dispose()
    {
        lock (_lock)
        {
            _stream.Dispose();
        }
    }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        var stamp = _time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        var text = $"{stamp} {Level(level)} {category}: {message}\n";
        if (exception is not null)
        {
            text += exception + "\n";
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        lock (_lock)
        {
            try
            {
                _stream.Seek(0, SeekOrigin.End);
                _stream.Write(bytes);
                _stream.Flush();
            }
            catch (Exception ex) when (ex is ObjectDisposedException or IOException)
            {
                // Logged after shutdown, or the disk is full: a log line is not worth failing a request for.
            }
        }
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "ERROR",
        _ => "FATAL",
    };

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(logLevel, category, formatter(state, exception), exception);
            }
        }
    }
}
