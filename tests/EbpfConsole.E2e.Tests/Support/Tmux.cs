using System.Diagnostics;

namespace EbpfConsole.E2e.Tests.Support;

/// <summary>
/// Drives a real program in a detached tmux session: keys go in with send-keys, the screen comes back
/// with capture-pane. Tests wait for text to appear instead of sleeping (CONVENTIONS.md, lazygit).
/// </summary>
public sealed class Tmux : IDisposable
{
    private readonly string _session;

    private Tmux(string session) => _session = session;

    public static Tmux Start(string command, int width, int height, IReadOnlyDictionary<string, string>? environment = null)
    {
        var session = $"ecE2e{Environment.ProcessId}x{Guid.NewGuid():N}"[..24];
        var args = new List<string> { "new-session", "-d", "-s", session, "-x", width.ToString(System.Globalization.CultureInfo.InvariantCulture), "-y", height.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            args.AddRange(["-e", $"{key}={value}"]);
        }

        // Keep the pane after the program exits so its last screen and exit status can be read.
        args.Add($"{command}; echo \"[exited $?]\"; sleep 600");
        Run(session, args);
        return new Tmux(session);
    }

    public string Screen() => Run(_session, ["capture-pane", "-p", "-t", _session]);

    public void SendKeys(params string[] keys) => Run(_session, ["send-keys", "-t", _session, .. keys]);

    /// <summary>Polls the screen until <paramref name="text"/> appears; fails with the last screen otherwise.</summary>
    public string WaitFor(string text, TimeSpan timeout) => WaitFor(s => s.Contains(text, StringComparison.Ordinal), text, timeout);

    public string WaitFor(Func<string, bool> condition, string what, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var screen = string.Empty;
        while (clock.Elapsed < timeout)
        {
            screen = Screen();
            if (condition(screen))
            {
                return screen;
            }

            Thread.Sleep(100);
        }

        Assert.Fail($"waited {timeout.TotalSeconds:0}s for '{what}'; the screen was:\n{screen}");
        return screen;
    }

    public void Dispose()
    {
        try
        {
            Run(_session, ["kill-server"]);
        }
        catch (InvalidOperationException)
        {
            // The server is already gone: nothing to clean up.
        }
    }

    /// <summary>
    /// Each session gets its own tmux server (-L socket): a server that is still shutting down after the
    /// previous test's kill cannot refuse the next test's session, and the user's own tmux is never touched.
    /// </summary>
    private static string Run(string socket, IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-L");
        psi.ArgumentList.Add(socket);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("tmux did not start");
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tmux {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Trim()}");
        }

        return stdout;
    }
}
