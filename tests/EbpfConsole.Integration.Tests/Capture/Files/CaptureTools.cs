using System.Diagnostics;
using System.Globalization;
using EbpfConsole.Integration.Tests.Support;

namespace EbpfConsole.Integration.Tests.Capture.Files;

/// <summary>Runs tshark, capinfos, editcap and friends, and reads what tshark says about a capture.</summary>
internal static class CaptureTools
{
    /// <summary>Runs <paramref name="tool"/> to completion; fails the test on a non-zero exit, with its stderr.</summary>
    public static async Task<string> RunAsync(string tool, params string[] args)
    {
        var (exitCode, stdout, stderr) = await RunUncheckedAsync(tool, args);
        Assert.True(exitCode == 0, $"{tool} {string.Join(' ', args)} exited {exitCode}: {stderr}");
        return stdout;
    }

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunUncheckedAsync(string tool, params string[] args) =>
        ToolProcess.RunAsync(Requirements.Tool(tool), args);

    /// <summary>What tshark reports per frame: epoch time in ns, captured and original length, interface name.</summary>
    public static async Task<List<TsharkFrame>> TsharkFramesAsync(string path)
    {
        var output = await RunAsync("tshark", "-n", "-r", path, "-T", "fields", "-E", "separator=|",
            "-e", "frame.time_epoch", "-e", "frame.cap_len", "-e", "frame.len", "-e", "frame.interface_name", "-e", "frame.comment");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ParseLine).ToList();
    }

    private static TsharkFrame ParseLine(string line)
    {
        var fields = line.Split('|');
        return new TsharkFrame(EpochToNs(fields[0]), int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture), fields[3], fields[4]);
    }

    /// <summary>"1700000000.123456789" → ns, without going through a double.</summary>
    private static long EpochToNs(string epoch)
    {
        var parts = epoch.Split('.');
        var fraction = parts.Length > 1 ? parts[1].PadRight(9, '0')[..9] : "0";
        return long.Parse(parts[0], CultureInfo.InvariantCulture) * 1_000_000_000 + long.Parse(fraction, CultureInfo.InvariantCulture);
    }
}

internal sealed record TsharkFrame(long TimestampNs, int CapturedLength, int OriginalLength, string InterfaceName, string Comment);
