namespace EbpfConsole.Capture.Remote;

/// <summary>POSIX shell quoting: whatever the text holds, the shell reads it back as one literal word.</summary>
public static class ShellQuoting
{
    /// <summary>
    /// Wraps <paramref name="text"/> in single quotes, writing each embedded <c>'</c> as <c>'\''</c>. Inside single
    /// quotes a POSIX shell expands nothing ($, `, \, newlines are literal), so the result is always one word.
    /// </summary>
    public static string Quote(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "'" + text.Replace("'", @"'\''", StringComparison.Ordinal) + "'";
    }
}
