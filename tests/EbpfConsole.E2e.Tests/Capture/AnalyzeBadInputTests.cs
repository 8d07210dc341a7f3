using System.Buffers.Binary;
using System.Runtime.Versioning;
using System.Text.Json;
using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests.Capture;

/// <summary>
/// `analyze` on what people actually feed it: files that are not captures, cut or foreign captures, paths that
/// are not files. Each time: the right exit code, one stderr line naming the file and the problem, no stack trace.
/// </summary>
public sealed class AnalyzeBadInputTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ectest-analyze-").FullName;

    [Theory]
    [InlineData("text", "not a pcap or pcapng file")]
    [InlineData("empty", "empty file")]
    [InlineData("ten-bytes", "cut short")]
    [InlineData("directory", "is a directory")]
    [InlineData("missing", "no such file")]
    public void Analyze_NotACaptureFile_ExitsTwo_WithOneLineNamingTheFileAndTheProblem(string kind, string problem)
    {
        var path = Path.Combine(_directory, $"{kind}.pcap");
        switch (kind)
        {
            case "text":
                File.WriteAllText(path, "GET / HTTP/1.1\nHost: 10.99.0.11:30604\n");
                break;
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            case "ten-bytes":
                File.WriteAllBytes(path, File.ReadAllBytes(Sample("iptables", "node-1-eth0"))[..10]);
                break;
            case "directory":
                Directory.CreateDirectory(path);
                break;
        }

        var result = InstalledConsole.Run("analyze", path);

        Assert.Equal(2, result.ExitCode);
        CaptureTools.AssertOneErrorLine(result, path, problem);
    }

    [Fact]
    public void Analyze_LabCaptureCutMidRecord_PrintsTheResult_NamesTheTruncatedFile_AndExitsZero()
    {
        var whole = File.ReadAllBytes(Sample("iptables", "node-2-calic440f455693"));
        var cut = Path.Combine(_directory, "cut.pcap");
        File.WriteAllBytes(cut, whole[..^20]); // the last record (an 82-byte ACK) loses its end
        var args = CaptureTools.SampleArguments("iptables").Select(a => a.EndsWith("@node-2:calic440f455693", StringComparison.Ordinal) ? $"{cut}@node-2:calic440f455693" : a);

        var result = InstalledConsole.Run(["analyze", .. args]);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stdout}{result.Stderr}");
        Assert.Contains("classification: iptables-snat", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(result.Stdout.Split('\n'), l => l.StartsWith($"skipped: {cut}:", StringComparison.Ordinal) && l.Contains("truncated", StringComparison.Ordinal));
        CaptureTools.AssertOneErrorLine(result, cut, "truncated", "9 packets read");
    }

    [Fact]
    public void Analyze_UnknownLinkType_CountsEveryPacketAsMalformed_AndExitsOne()
    {
        var path = WithLinkType147();

        var result = InstalledConsole.Run("analyze", path, "--json");

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.Stdout}{result.Stderr}");
        CaptureTools.AssertNoStackTrace(result);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("unknown", json.RootElement.GetProperty("classification").GetString());
        Assert.Equal(10, json.RootElement.GetProperty("packets").GetInt64());
        Assert.Equal(10, json.RootElement.GetProperty("malformed").GetInt64());
    }

    /// <summary>"unknown" with 10 malformed packets alone does not tell the user why: the link type must be named.</summary>
    [Fact]
    public void Analyze_UnknownLinkType_SaysWhichLinkTypeItCannotDecode()
    {
        var path = WithLinkType147();

        var result = InstalledConsole.Run("analyze", path);

        Assert.Equal(1, result.ExitCode);
        CaptureTools.AssertOneErrorLine(result, path, "link type 147");
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void Analyze_UnreadableFile_AsAnotherUser_ExitsTwo_SayingPermissionDenied()
    {
        InstalledConsole.RequireRoot();
        File.SetUnixFileMode(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var path = Path.Combine(_directory, "secret.pcap");
        File.Copy(Sample("iptables", "node-1-eth0"), path);
        File.SetUnixFileMode(path, UnixFileMode.None);

        var result = CaptureTools.RunAsNobody("analyze", path);

        Assert.Equal(2, result.ExitCode);
        CaptureTools.AssertOneErrorLine(result, path, "permission denied");
    }

    [Theory]
    [InlineData("iptables", "iptables-snat")]
    [InlineData("ebpf-tunnel", "ebpf-tunnel")]
    [InlineData("ebpf-dsr", "ebpf-dsr")]
    public void Analyze_SampleLabCaptures_WithTheirPoints_GiveTheirMode(string mode, string classification)
    {
        var result = InstalledConsole.Run(["analyze", .. CaptureTools.SampleArguments(mode), "--json"]);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Equal(string.Empty, result.Stderr.Trim());
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(classification, json.RootElement.GetProperty("classification").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("connections").GetArrayLength());
        Assert.Equal(CaptureTools.LabPoints, json.RootElement.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("point").GetString()).ToArray());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Sample(string mode, string name) => Path.Combine(CaptureTools.Assets(), mode, name + ".pcap");

    /// <summary>A real lab capture (10 packets) whose header claims link type 147 (DLT_USER0), which nothing here decodes.</summary>
    private string WithLinkType147()
    {
        var bytes = File.ReadAllBytes(Sample("iptables", "node-2-calic440f455693"));
        var littleEndian = bytes[0] == 0xd4 || bytes[0] == 0x4d;
        if (littleEndian)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(20), 147);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(20), 147);
        }

        var path = Path.Combine(_directory, "user0.pcap");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
