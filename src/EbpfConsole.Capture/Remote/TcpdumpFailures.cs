using System.Globalization;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Capture.Remote;

/// <summary>
/// Turns how a remote tcpdump ended (exit status, stderr) into one line for the user that names the node (and the
/// interface when it is the cause) and what to do: no such interface, tcpdump not installed, no privileges (with or
/// without sudo), a filter tcpdump refused, or an unexpected exit.
/// </summary>
public static class TcpdumpFailures
{
    /// <summary>The shell's status for "command not found".</summary>
    public const int CommandNotFound = 127;

    /// <param name="point">Where the capture ran.</param>
    /// <param name="user">The SSH login user.</param>
    /// <param name="command">The command that ran (its filter and privilege prefix are named in messages).</param>
    /// <param name="exitStatus">tcpdump's (the script's) exit status, null when none arrived.</param>
    /// <param name="stderr">The non-routine stderr lines, oldest first.</param>
    /// <returns>The message, or null when the exit was clean (status 0, nothing alarming on stderr).</returns>
    public static string? Describe(CapturePoint point, string user, TcpdumpCommand command, int? exitStatus, IReadOnlyList<string> stderr)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(stderr);
        var node = point.Node;
        var sudo = command.PrivilegePrefix;

        if (Find(stderr, "sudo:") is { } sudoLine && sudo is not null)
        {
            return sudoLine.Contains("not found", StringComparison.OrdinalIgnoreCase)
                ? $"{node}: '{sudo}' is not available; the SSH user '{user}' is not root ({sudoLine}) — log in as root or install sudo"
                : $"{node}: tcpdump needs root or CAP_NET_RAW; the SSH user '{user}' is not root and {sudo} was refused ({sudoLine})";
        }

        if (Find(stderr, "tcpdump: not found", "tcpdump: command not found", "tcpdump: No such file or directory") is not null
            || (exitStatus == CommandNotFound && Find(stderr, "not found") is not null))
        {
            return $"{node}: tcpdump is not installed (apt-get install tcpdump)";
        }

        if (Find(stderr, "No such device", "doesn't exist", "no such device", "No such interface") is { } noDevice)
        {
            return $"{point}: no such interface ({noDevice})";
        }

        if (Find(stderr, "don't have permission", "Operation not permitted", "Permission denied", "permission") is { } denied)
        {
            return user == "root" || sudo is not null
                ? $"{point}: tcpdump was not allowed to capture ({denied})"
                : $"{node}: tcpdump needs root or CAP_NET_RAW; the SSH user '{user}' is not root ({denied})";
        }

        if (Find(stderr, "parse filter expression", "syntax error", "filter expression") is { } badFilter)
        {
            return $"{point}: filter '{command.Filter}' was refused by tcpdump ({badFilter})";
        }

        if (exitStatus is null or 0)
        {
            return null;
        }

        var last = stderr.Count > 0 ? $" ({stderr[^1]})" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $"{point}: tcpdump exited with status {exitStatus}{last}");
    }

    /// <summary>"node-1: SSH connection lost during capture (reason)".</summary>
    public static string ConnectionLost(CapturePoint point, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(point);
        return $"{point.Node}: SSH connection lost during capture" + (string.IsNullOrWhiteSpace(reason) ? string.Empty : $" ({OneLine(reason)})");
    }

    /// <summary>"node-1:eth0: tcpdump sent no capture header within 10s (stderr …)".</summary>
    public static string NoHeader(CapturePoint point, TimeSpan timeout, string? stderr)
    {
        ArgumentNullException.ThrowIfNull(point);
        var seconds = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        return $"{point}: tcpdump sent no capture header within {seconds}s" +
            (stderr is null ? " and wrote nothing to stderr" : $" (stderr: {stderr})");
    }

    internal static string OneLine(string text) => TcpdumpCommand.Display(text.Trim().Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' '));

    private static string? Find(IReadOnlyList<string> lines, params string[] needles) =>
        lines.FirstOrDefault(l => needles.Any(n => l.Contains(n, StringComparison.Ordinal)));
}
