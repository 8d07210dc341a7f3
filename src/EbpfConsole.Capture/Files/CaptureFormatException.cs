namespace EbpfConsole.Capture.Files;

/// <summary>
/// A pcap/pcapng stream that cannot be read (not a capture, unsupported version, corrupt record). The
/// message is one line that names the source and the problem: <c>x.pcap: empty file</c>.
/// </summary>
public sealed class CaptureFormatException : Exception
{
    public CaptureFormatException()
    {
    }

    public CaptureFormatException(string message)
        : base(message)
    {
    }

    public CaptureFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
