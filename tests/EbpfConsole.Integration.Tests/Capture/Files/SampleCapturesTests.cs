using EbpfConsole.Capture.Files;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Integration.Tests.Capture.Files;

/// <summary>The sample captures shipped in assets/captures read without error, frame for frame as tshark reads them.</summary>
public sealed class SampleCapturesTests
{
    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(AssetsDirectory(), "*.pcap*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(AssetsDirectory(), path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Read_SampleCapture_ReadsWholeAndMatchesTshark(string relativePath)
    {
        var path = Path.Combine(AssetsDirectory(), relativePath);

        await FileScratch.AssertReadsLikeTsharkAsync(path, atLeast: 1);

        var source = new FileSource(new FileTarget(path));
        await source.RunAsync(new CountingSink(), CancellationToken.None);
        Assert.False(source.Truncated, source.Warning);
        Assert.Equal(new SourceStats(0, 0), source.Stats);
    }

    [Fact]
    public void Samples_AreThere()
    {
        Assert.True(Samples().Count >= 9, $"expected the nine sample captures under {AssetsDirectory()}");
    }

    private static string AssetsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "assets", "captures");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.Combine("/work/main", "assets", "captures");
    }

    private sealed class CountingSink : IFrameSink
    {
        public long Count { get; private set; }

        public void Accept(in CapturedFrame frame) => Count++;
    }
}
