using System.Diagnostics;

namespace EbpfConsole.Integration.Tests.Support;

/// <summary>Runs a local tool to completion (stdin closed, 60 s limit) and returns what it said.</summary>
internal static class ToolProcess
{
    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, params string[] args) =>
        RunAsync(StartInfo(file, args), stdin: null);

    /// <summary>Standard streams redirected, no shell.</summary>
    public static ProcessStartInfo StartInfo(string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    /// <summary>Runs <paramref name="info"/> (from <see cref="StartInfo"/>) with <paramref name="stdin"/> written first, if any.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(ProcessStartInfo info, string? stdin)
    {
        ArgumentNullException.ThrowIfNull(info);
        var file = info.FileName;
        var args = info.ArgumentList;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {file}");
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish within 60 s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
