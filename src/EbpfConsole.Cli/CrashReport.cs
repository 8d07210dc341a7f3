using System.Globalization;

namespace EbpfConsole.Cli;

/// <summary>
/// The user never sees a stack trace: an unexpected failure prints one line, and the details go to a
/// file for the bug report ($XDG_STATE_HOME/ebpf-console/crash.log, else ~/.local/state/…).
/// </summary>
internal static class CrashReport
{
    public static string? Write(Exception exception)
    {
        try
        {
            var stateHome = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
            if (string.IsNullOrEmpty(stateHome))
            {
                stateHome = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state");
            }

            var dir = Path.Combine(stateHome, "ebpf-console");
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, "crash.log");
            File.AppendAllText(path, string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:O} {exception}\n\n"));
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // nowhere to write: the one-line message is all the user gets
        }
    }
}
