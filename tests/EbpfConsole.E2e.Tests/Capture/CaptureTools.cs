using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests.Capture;

/// <summary>
/// What the capture and analyze end-to-end tests share: the tools they check results with (tshark, setpriv),
/// the sample captures in assets/captures, the installed command run as user nobody, and the error-line rule.
/// </summary>
internal static class CaptureTools
{
    /// <summary>The lab's capture points, as `capture --lab` names them.</summary>
    public static readonly string[] LabPoints = ["node-1:eth0", "node-2:eth0", "node-2:calic440f455693"];

    /// <summary>Fails unless <paramref name="tool"/> is installed; returns its full path.</summary>
    public static string Tool(string tool)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"]);
        foreach (var dir in dirs)
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"'{tool}' is not installed. ./install.sh installs it (apt-get); run that first.");
        return string.Empty;
    }

    /// <summary>Runs <paramref name="tool"/> to completion and returns its exit code and output.</summary>
    public static CliResult Run(string tool, params string[] args) => InstalledConsole.RunFile(Tool(tool), args);

    /// <summary>The sample captures recorded on the lab, one directory per mode.</summary>
    public static string Assets()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "assets", "captures");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Fail($"assets/captures not found above {AppContext.BaseDirectory}: run the tests from the repository checkout.");
        return string.Empty;
    }

    /// <summary>`analyze` arguments for the three sample files of <paramref name="mode"/>, each with its point.</summary>
    public static string[] SampleArguments(string mode) =>
        LabPoints.Select(p => $"{Path.Combine(Assets(), mode, p.Replace(':', '-') + ".pcap")}@{p}").ToArray();

    /// <summary>
    /// Runs the published dll (what the installed wrapper executes) as user nobody: the wrapper would elevate
    /// `lab` with sudo, and root reads any file and opens any device.
    /// </summary>
    public static CliResult RunAsNobody(params string[] args)
    {
        var (dotnet, dll) = WrappedCommand();
        return InstalledConsole.RunFile(
            Tool("setpriv"),
            ["--reuid=65534", "--regid=65534", "--clear-groups", dotnet, dll, .. args],
            new Dictionary<string, string> { ["HOME"] = "/tmp", ["DOTNET_CLI_HOME"] = "/tmp" });
    }

    /// <summary>The dotnet host and the published dll that the installed wrapper script executes.</summary>
    public static (string Dotnet, string Dll) WrappedCommand()
    {
        var parts = File.ReadAllLines(InstalledConsole.Path).Last(l => l.StartsWith("exec ", StringComparison.Ordinal)).Split('"');
        return (parts[1], parts[3]);
    }

    /// <summary>The stderr lines that are not the parser's help hint ("Try 'ebpf-console capture --help'.").</summary>
    public static string[] ErrorLines(CliResult result) =>
        result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !(l.StartsWith("Try '", StringComparison.Ordinal) && l.EndsWith("--help'.", StringComparison.Ordinal)))
            .ToArray();

    /// <summary>Exactly one stderr line (besides the help hint), containing every one of <paramref name="expected"/>; no stack trace.</summary>
    public static void AssertOneErrorLine(CliResult result, params string[] expected)
    {
        AssertNoStackTrace(result);
        var lines = ErrorLines(result);
        Assert.True(lines.Length == 1, $"expected one error line, stderr was:\n{result.Stderr}");
        foreach (var text in expected)
        {
            Assert.Contains(text, lines[0], StringComparison.Ordinal);
        }
    }

    public static void AssertNoStackTrace(CliResult result)
    {
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stdout, StringComparison.Ordinal);
    }
}
