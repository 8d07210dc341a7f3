using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Capture.Remote;

/// <summary>
/// The remote shell command that runs tcpdump on a node and streams pcap to stdout. Pure: it only builds text.
/// <para>
/// The interface and the filter are hostile input: the interface must pass <see cref="CapturePoint.IsInterfaceName"/>,
/// the filter may hold no control characters (NUL, newline, …), and both reach the shell single-quoted, after a
/// <c>--</c>, so neither can run a command or become a tcpdump option.
/// </para>
/// <para>
/// Cleanup: tcpdump runs in the background of a small <c>sh</c> script whose <c>cat</c> copies the channel's stdin to
/// /dev/null; when stdin ends — we closed it (stop, cancel), or sshd closed it because the connection dropped or the
/// console was killed — the script kills tcpdump. The script exits with tcpdump's status, and tcpdump's stderr
/// (errors, statistics) stays on the channel's stderr. Every <see cref="StatsIntervalSeconds"/> it asks tcpdump for
/// its statistics (SIGUSR1), so kernel drops are seen during the capture, not only at its end.
/// </para>
/// </summary>
public sealed class TcpdumpCommand
{
    /// <summary>Enough for Ethernet + IPv6 + UDP + VXLAN + inner Ethernet + IPv6 + TCP with options.</summary>
    public const int DefaultSnapLength = 256;

    public const int MaxSnapLength = 262144;

    public const int MaxFilterLength = 4096;

    public const int DefaultStatsIntervalSeconds = 2;

    /// <summary>What runs tcpdump as root when the SSH user is not root; -n: fail instead of asking for a password.</summary>
    public const string SudoPrefix = "sudo -n";

    private TcpdumpCommand(string interfaceName, string? filter, int snapLength, string? privilegePrefix, int statsIntervalSeconds)
    {
        Interface = interfaceName;
        Filter = filter;
        SnapLength = snapLength;
        PrivilegePrefix = privilegePrefix;
        StatsIntervalSeconds = statsIntervalSeconds;
        Script = BuildScript();
        CommandText = "exec " + (privilegePrefix is null ? string.Empty : privilegePrefix + " ") + "sh -c " + ShellQuoting.Quote(Script);
    }

    public string Interface { get; }

    /// <summary>The BPF filter, trimmed; null when none was given (capture everything).</summary>
    public string? Filter { get; }

    public int SnapLength { get; }

    /// <summary>"sudo -n" or similar, or null when the SSH user runs tcpdump itself.</summary>
    public string? PrivilegePrefix { get; }

    /// <summary>Seconds between statistics requests (SIGUSR1); 0 asks only at the end.</summary>
    public int StatsIntervalSeconds { get; }

    /// <summary>The <c>sh</c> script (already quoted inside <see cref="CommandText"/>).</summary>
    public string Script { get; }

    /// <summary>The text of the SSH exec request: <c>exec [sudo -n] sh -c '…'</c>.</summary>
    public string CommandText { get; }

    /// <summary>Validates the parts and builds the command; <paramref name="error"/> is one line naming the bad part.</summary>
    public static bool TryCreate(
        string? interfaceName,
        string? filter,
        int snapLength,
        string? privilegePrefix,
        [NotNullWhen(true)] out TcpdumpCommand? command,
        [NotNullWhen(false)] out string? error,
        int statsIntervalSeconds = DefaultStatsIntervalSeconds)
    {
        command = null;
        error = InterfaceProblem(interfaceName) ?? FilterProblem(filter) ?? SnapLengthProblem(snapLength)
            ?? PrefixProblem(privilegePrefix) ?? StatsProblem(statsIntervalSeconds);
        if (error is not null)
        {
            return false;
        }

        var trimmed = filter?.Trim();
        var prefix = privilegePrefix?.Trim();
        command = new TcpdumpCommand(interfaceName!, string.IsNullOrEmpty(trimmed) ? null : trimmed, snapLength,
            string.IsNullOrEmpty(prefix) ? null : prefix, statsIntervalSeconds);
        return true;
    }

    /// <summary>Like <see cref="TryCreate"/>, throwing <see cref="CaptureSourceException"/> with the one-line error.</summary>
    public static TcpdumpCommand Create(string? interfaceName, string? filter, int snapLength = DefaultSnapLength, string? privilegePrefix = null) =>
        TryCreate(interfaceName, filter, snapLength, privilegePrefix, out var command, out var error)
            ? command
            : throw new CaptureSourceException(error);

    /// <summary>Null when <paramref name="filter"/> may be sent to a node; otherwise why not (one line).</summary>
    public static string? FilterProblem(string? filter)
    {
        if (filter is null)
        {
            return null;
        }

        if (filter.Length > MaxFilterLength)
        {
            return $"filter is {filter.Length} characters long; at most {MaxFilterLength} are accepted";
        }

        return filter.Any(char.IsControl)
            ? $"filter '{Display(filter)}' contains a control character (newline, NUL, …); a BPF filter is one line of text"
            : null;
    }

    /// <summary>Text safe to show on one line: control characters are written as \n, \0, \x1b ….</summary>
    public static string Display(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\n' => sb.Append(@"\n"),
                '\r' => sb.Append(@"\r"),
                '\t' => sb.Append(@"\t"),
                '\0' => sb.Append(@"\0"),
                _ when char.IsControl(c) => sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => sb.Append(c),
            };
        }

        return sb.ToString();
    }

    private static string? InterfaceProblem(string? name) => CapturePoint.IsInterfaceName(name)
        ? null
        : $"interface '{Display(name ?? string.Empty)}' is not a Linux interface name (1-{CapturePoint.MaxInterfaceLength} of letters, digits, '.', '-', '_', '@')";

    private static string? SnapLengthProblem(int snapLength) => snapLength is >= 1 and <= MaxSnapLength
        ? null
        : string.Create(CultureInfo.InvariantCulture, $"snap length {snapLength} is outside 1..{MaxSnapLength}");

    private static string? StatsProblem(int seconds) => seconds is >= 0 and <= 3600
        ? null
        : string.Create(CultureInfo.InvariantCulture, $"statistics interval {seconds}s is outside 0..3600");

    /// <summary>The prefix is configuration, not user data, but it too reaches the shell: plain words only.</summary>
    private static string? PrefixProblem(string? prefix) =>
        prefix is null || prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-' or '_' or '.' or '/' or '=')
            ? null
            : $"privilege prefix '{Display(prefix)}' may only hold words of letters, digits, '-', '_', '.', '/', '='";

    private string BuildScript()
    {
        var sb = new StringBuilder(512);
        sb.Append("exec 3<&0 </dev/null; ");
        sb.Append(CultureInfo.InvariantCulture, $"tcpdump -U --immediate-mode -n -s {SnapLength} -w - -i {ShellQuoting.Quote(Interface)}");
        if (Filter is not null)
        {
            sb.Append(" -- ").Append(ShellQuoting.Quote(Filter));
        }

        sb.Append(" 3<&- & p=$!; ");
        sb.Append("{ cat <&3; kill $p; } >/dev/null 2>&1 & w=$!; ");
        var watchers = "$w";
        if (StatsIntervalSeconds > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{{ while sleep {StatsIntervalSeconds} && kill -USR1 $p; do :; done; }} 3<&- >/dev/null 2>&1 & u=$!; ");
            watchers = "$w $u";
        }

        sb.Append("exec 3<&-; wait $p; s=$?; ");
        sb.Append(CultureInfo.InvariantCulture, $"kill {watchers} 2>/dev/null; exit $s");
        return sb.ToString();
    }
}
