using System.Diagnostics;
using System.Text;

namespace EbpfConsole.Lab;

/// <summary>
/// <see cref="ICommandRunner"/> on <see cref="Process"/>. The child's PATH always includes the sbin
/// directories (ip, sshd, iptables live there even when the caller's PATH lacks them). Cancelling kills
/// the child. A daemon that keeps the output pipes open cannot hang the caller: after the child exits
/// the output is read for at most <see cref="DrainTimeout"/>.
/// </summary>
public sealed class ProcessRunner : ICommandRunner
{
    private static readonly string[] SbinDirs = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

    public static TimeSpan DrainTimeout { get; } = TimeSpan.FromSeconds(3);

    public async Task<CommandResult> RunAsync(string file, IReadOnlyList<string> args, CancellationToken ct, string? stdin = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ct.ThrowIfCancellationRequested();
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["PATH"] = WithSbin(Environment.GetEnvironmentVariable("PATH"));
        psi.Environment["LC_ALL"] = "C";

        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new LabException($"cannot run '{file}': {ex.Message}. ./install.sh installs the lab's tools.", ex);
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var outPump = PumpAsync(process.StandardOutput, stdout);
        var errPump = PumpAsync(process.StandardError, stderr);
        try
        {
            await FeedAsync(process, stdin, ct).ConfigureAwait(false);
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillQuietly(process);
            throw;
        }

        try
        {
            await Task.WhenAll(outPump, errPump).WaitAsync(DrainTimeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A daemonised grandchild still holds the pipes: keep what was read so far.
        }

        return new CommandResult(process.ExitCode, Snapshot(stdout), Snapshot(stderr));
    }

    private static async Task FeedAsync(Process process, string? stdin, CancellationToken ct)
    {
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), ct).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The child exited without reading all of its stdin; its exit code and stderr tell the story.
        }

        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Same: closing flushes into a pipe nobody reads any more.
        }
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder sink)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory()).ConfigureAwait(false)) > 0)
        {
            lock (sink)
            {
                sink.Append(buffer, 0, read);
            }
        }
    }

    private static string Snapshot(StringBuilder sink)
    {
        lock (sink)
        {
            return sink.ToString();
        }
    }

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static string WithSbin(string? path)
    {
        var parts = (path ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries).ToList();
        parts.AddRange(SbinDirs.Where(d => !parts.Contains(d)));
        return string.Join(':', parts);
    }
}
