namespace EbpfConsole.Capture.Tests.Files;

/// <summary>A directory under the system temp path, removed with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ectest-files-" + Guid.NewGuid().ToString("N"));

    public string File(string name, byte[]? content = null)
    {
        var path = System.IO.Path.Combine(Path, name);
        if (content is not null)
        {
            System.IO.File.WriteAllBytes(path, content);
        }

        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Collects what a source delivers.</summary>
internal sealed class ListSink : EbpfConsole.Core.Capture.IFrameSink
{
    public List<EbpfConsole.Core.Capture.CapturedFrame> Frames { get; } = [];

    public void Accept(in EbpfConsole.Core.Capture.CapturedFrame frame) => Frames.Add(frame);
}
