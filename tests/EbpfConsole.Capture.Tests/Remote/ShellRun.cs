using System.Diagnostics;

namespace EbpfConsole.Capture.Tests.Remote;

/// <summary>Runs text through the real /bin/sh, to prove what a remote shell would make of it.</summary>
internal static class ShellRun
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string script, string? pathPrefix = null, string? stdin = null, bool keepStdinOpen = false, string? closeStdinOnceExists = null)
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        if (pathPrefix is not null)
        {
            psi.Environment["PATH"] = pathPrefix + ":" + Environment.GetEnvironmentVariable("PATH");
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        // A fake tcpdump may need to be running (its traps set) before stdin ends.
        for (var waited = 0; closeStdinOnceExists is not null && !File.Exists(closeStdinOnceExists) && waited < 10_000; waited += 10)
        {
            await Task.Delay(10);
        }

        if (!keepStdinOpen)
        {
            process.StandardInput.Close();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"sh did not end within 20s: {script}");
        }
        finally
        {
            process.StandardInput.Dispose();
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
