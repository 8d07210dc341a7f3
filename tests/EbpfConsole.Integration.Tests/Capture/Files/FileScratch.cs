using EbpfConsole.Capture.Files;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Integration.Tests.Capture.Files;

/// <summary>A temp directory (ectest-files-*) and helpers to read a capture with our reader and compare with tshark.</summary>
internal sealed class FileScratch : IDisposable
{
    public FileScratch() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ectest-files-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);

    public static (List<CapturedFrame> Frames, PcapReader Reader) ReadAll(string path, CapturePoint? point = null)
    {
        var reader = new PcapReader(System.IO.File.OpenRead(path), path, point ?? new FileTarget(path).DefaultPoint);
        var frames = new List<CapturedFrame>();
        while (reader.TryRead(out var frame))
        {
            frames.Add(frame);
        }

        reader.Dispose();
        return (frames, reader);
    }

    /// <summary>Our reader and tshark agree on every frame's time (to the ns), lengths and count; nothing skipped or cut.</summary>
    public static async Task<List<CapturedFrame>> AssertReadsLikeTsharkAsync(string path, int atLeast)
    {
        var (frames, reader) = ReadAll(path);
        var expected = await CaptureTools.TsharkFramesAsync(path);

        Assert.True(frames.Count >= atLeast, $"{path}: {frames.Count} frames, expected at least {atLeast}");
        Assert.Equal(expected.Count, frames.Count);
        Assert.Equal(expected.Select(f => (f.TimestampNs, f.CapturedLength, f.OriginalLength)), frames.Select(f => (f.TimestampNs, f.Data.Length, f.OriginalLength)));
        Assert.False(reader.TruncatedAtEnd, $"{path}: reported as truncated");
        Assert.Equal(0, reader.Skipped);
        return frames;
    }
}
