namespace EbpfConsole.Capture.Remote;

/// <summary>
/// Reads tcpdump's output from SSH.NET's pipe in batches. tcpdump -U writes each packet on its own, so a
/// reader that blocks whenever the pipe is empty is woken once per packet; at 50k packets/s those wake-ups
/// cost more than the analysis. When nothing is buffered, this waits <see cref="Pace"/> first (packets
/// pile up meanwhile) and then reads, blocking as before: a packet is delayed by at most the pace.
/// </summary>
internal sealed class PacedReadStream(Stream inner, Func<long> available, TimeSpan pace) : Stream
{
    public TimeSpan Pace { get; } = pace;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Paces SSH.NET's <c>PipeStream</c> (its Length is the bytes buffered); any other stream is read as it is.</summary>
    public static Stream Over(Stream stream, TimeSpan pace) =>
        stream is Renci.SshNet.Common.PipeStream pipe ? new PacedReadStream(pipe, () => pipe.Length, pace) : stream;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length > 0 && available() == 0)
        {
            Thread.Sleep(Pace);
        }

        return inner.Read(buffer);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
