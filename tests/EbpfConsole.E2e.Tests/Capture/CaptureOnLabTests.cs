using System.Text.Json;
using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests.Capture;

/// <summary>
/// `capture --lab` with the installed binary on the real lab, while `lab curl` makes real NodePort traffic: the
/// classification is the lab's mode, and the pcapng it writes reads back (tshark, `analyze`) as the same capture.
/// </summary>
[Collection(LabUsers.Name)]
public sealed class CaptureOnLabTests : IDisposable
{
    private static readonly TimeSpan Start = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("ectest-capture-").FullName;

    /// <summary>What the pod saw and where the reply went in each mode (client 10.99.0.100 → node-1, backend node-2).</summary>
    public static TheoryData<string, string, string> Modes => new()
    {
        { "iptables", "iptables-snat", "snat 10.99.0.11 node-1 / via-ingress node-1" },
        { "ebpf-tunnel", "ebpf-tunnel", "client-ip 10.99.0.100 - / via-ingress node-1" },
        { "ebpf-dsr", "ebpf-dsr", "client-ip 10.99.0.100 - / direct-from-backend node-2" },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public void CaptureLab_WhileCurlRuns_ClassifiesTheLabMode_AndTheFileReadsBackTheSame(string mode, string classification, string paths)
    {
        InstalledConsole.RequireRoot();
        var tshark = CaptureTools.Tool("tshark");
        LabScenarios.Ensure("healthy");
        var switched = InstalledConsole.Run("lab", "mode", mode);
        Assert.True(switched.ExitCode == 0, switched.Stderr);
        var file = Path.Combine(_directory, $"lab-{mode}.pcapng");

        int exitCode;
        string stdout;
        using (var capture = BackgroundCapture.Start("capture", "--lab", "--duration", "6s", "--json", "--write", file))
        {
            capture.WaitUntilCapturing(CaptureTools.LabPoints, Start);
            var curl = InstalledConsole.Run("lab", "curl", "--count", "3");
            Assert.True(curl.ExitCode == 0, curl.Stderr);
            exitCode = capture.WaitForExit(TimeSpan.FromSeconds(60));
            stdout = capture.Stdout;
            Assert.True(exitCode == 0, $"capture exited {exitCode}; stderr:\n{capture.Stderr}");
        }

        using var live = JsonDocument.Parse(stdout);
        var root = live.RootElement;
        Assert.Equal(classification, root.GetProperty("classification").GetString());
        Assert.Equal(0, root.GetProperty("dropped").GetInt64());
        var connections = Connections(root);
        Assert.Equal(3, connections.Count);
        Assert.All(connections, c =>
        {
            Assert.StartsWith("10.99.0.100:", c.Client, StringComparison.Ordinal);
            Assert.Equal(paths, c.Paths);
        });
        Assert.All(root.GetProperty("connections").EnumerateArray(), c =>
            Assert.Equal(CaptureTools.LabPoints, c.GetProperty("points").EnumerateArray().Select(p => p.GetString()).ToArray()));

        // The pcapng: one interface per point, named after it, and a comment on each analysed connection.
        Assert.True(File.Exists(file), $"{file} was not written");
        var interfaces = InstalledConsole.RunFile(tshark, ["-r", file, "-T", "fields", "-e", "frame.interface_name"]);
        Assert.True(interfaces.ExitCode == 0, interfaces.Stderr);
        Assert.Equal(CaptureTools.LabPoints.Order(StringComparer.Ordinal), Lines(interfaces.Stdout).Distinct().Order(StringComparer.Ordinal));
        var comments = InstalledConsole.RunFile(tshark, ["-r", file, "-T", "fields", "-e", "frame.comment"]);
        Assert.True(comments.ExitCode == 0, comments.Stderr);
        Assert.Contains(Lines(comments.Stdout), l => l.StartsWith("#1 10.99.0.100:", StringComparison.Ordinal) && l.Contains(classification, StringComparison.Ordinal));

        // `analyze` of that file agrees with the live analysis, connection for connection.
        var analyzed = InstalledConsole.Run("analyze", file, "--json");
        Assert.True(analyzed.ExitCode == 0, analyzed.Stderr);
        using var again = JsonDocument.Parse(analyzed.Stdout);
        Assert.Equal(classification, again.RootElement.GetProperty("classification").GetString());
        Assert.Equal(connections, Connections(again.RootElement));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>client and "podSaw.kind address node / replyPath.kind node" of each connection, ordered by client.</summary>
    private static List<(string Client, string Paths)> Connections(JsonElement root) =>
        root.GetProperty("connections").EnumerateArray()
            .Select(c =>
            {
                var saw = c.GetProperty("podSaw");
                var reply = c.GetProperty("replyPath");
                return (c.GetProperty("client").GetString()!,
                    $"{saw.GetProperty("kind").GetString()} {saw.GetProperty("address").GetString()} {saw.GetProperty("node").GetString() ?? "-"}"
                    + $" / {reply.GetProperty("kind").GetString()} {reply.GetProperty("node").GetString()}");
            })
            .OrderBy(c => c.Item1, StringComparer.Ordinal)
            .ToList();

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
