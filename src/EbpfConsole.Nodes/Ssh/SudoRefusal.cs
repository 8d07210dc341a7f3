namespace EbpfConsole.Nodes.Ssh;

/// <summary>
/// Recognises sudo refusing a non-interactive call (<c>sudo -n</c>) in command output and says what to do, in one
/// line the preflight rules can show (DESIGN.md "SSH": non-root users run privileged commands with sudo -n).
/// </summary>
public static class SudoRefusal
{
    private static readonly (string Marker, string Cause)[] Causes =
    [
        ("a password is required", "a password is required"),
        ("a terminal is required", "a terminal is required to read the password"),
        ("is not in the sudoers file", "the user is not in the sudoers file"),
        ("is not allowed to run sudo", "the user is not allowed to run sudo"),
        ("may not run sudo", "the user may not run sudo"),
        ("is not allowed to execute", "the user is not allowed to run this command with sudo"),
        ("sudo: not found", "sudo is not installed"),
        ("sudo: command not found", "sudo is not installed"),
    ];

    /// <summary>
    /// Null when <paramref name="output"/> shows no sudo refusal; otherwise one line naming <paramref name="endpoint"/>
    /// (user@host:port), the cause, and the fix.
    /// </summary>
    public static string? Explain(string output, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (var (marker, cause) in Causes)
        {
            if (output.Contains(marker, StringComparison.OrdinalIgnoreCase)
                && (output.Contains("sudo", StringComparison.OrdinalIgnoreCase)))
            {
                return $"sudo -n refused on {endpoint}: {cause} — allow this user passwordless sudo (NOPASSWD in sudoers) or log in as root (--ssh-user root)";
            }
        }

        return null;
    }
}
