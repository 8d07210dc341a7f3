using EbpfConsole.Capture.Files;
using EbpfConsole.Core.Capture;

namespace EbpfConsole.Cli.Capture;

/// <summary>
/// Writes a live capture's frames, in the order the analyzer sees them, to <c>FILE.partial</c>; when the
/// analysis is final, <see cref="Finish"/> writes FILE with a comment on the first packet of each analysed
/// connection (pcapng) or as classic pcap (one link type only). A write failure stops the writing, not the
/// capture: it is reported by <see cref="Finish"/>.
/// </summary>
internal sealed class CaptureFileTee : IFrameSink, IDisposable
{
    private readonly string _path;
    private readonly string _partial;
    private readonly bool _classic;
    private readonly FileStream _stream;
    private PcapngWriter? _pcapng;
    private PcapWriter? _pcap;
    private string? _failure;

    public CaptureFileTee(string path)
    {
        _path = path;
        _partial = path + ".partial";
        _classic = path.EndsWith(".pcap", StringComparison.OrdinalIgnoreCase);
        _stream = new FileStream(_partial, FileMode.Create, FileAccess.Write, FileShare.Read);
        if (!_classic)
        {
            _pcapng = new PcapngWriter(_stream, "written by ebpf-console capture", leaveOpen: true);
        }
    }

    public void Accept(in CapturedFrame frame)
    {
        if (_failure is not null)
        {
            return;
        }

        try
        {
            if (_classic)
            {
                _pcap ??= new PcapWriter(_stream, frame.LinkType, leaveOpen: true);
                _pcap.Write(frame);
            }
            else
            {
                _pcapng!.Write(frame);
            }
        }
        catch (Exception e) when (e is IOException or CaptureFormatException)
        {
            _failure = e.Message;
        }
    }

    /// <summary>Closes the file; returns null when it is complete, else why not (one line).</summary>
    public string? Finish(CaptureSnapshot analysis)
    {
        Dispose();
        if (_failure is not null)
        {
            return $"{_path}: not written completely: {_failure} (what was written is in {_partial})";
        }

        try
        {
            if (_classic)
            {
                File.Move(_partial, _path, overwrite: true);
                return null;
            }

            var comments = analysis.Connections
                .Where(c => c.Packets.Count > 0)
                .GroupBy(c => c.Packets[0].FrameNumber)
                .ToDictionary(g => g.Key, g => string.Join(" | ", g.Select(EbpfConsole.Core.Capture.Analysis.CaptureAnalyzer.Describe)));
            PcapngAnnotator.Rewrite(_partial, _path, n => comments.GetValueOrDefault(n));
            File.Delete(_partial);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CaptureFormatException)
        {
            return $"{_path}: not written: {e.Message} (the packets are in {_partial})";
        }
    }

    public void Dispose()
    {
        _pcapng?.Dispose();
        _pcap?.Dispose();
        _pcapng = null;
        _pcap = null;
        _stream.Dispose();
    }
}
