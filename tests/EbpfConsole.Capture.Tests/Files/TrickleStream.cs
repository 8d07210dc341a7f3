namespace EbpfConsole.Capture.Tests.Files;

/// <summary>
/// A non-seekable stream like a pipe from tcpdump over SSH: it hands out at most
/// <paramref name="chunk"/> bytes per read. With <see cref="FailWhenDry"/> set it fails the test when asked
/// for more bytes than have arrived: some streams (SSH channels among them) block until a read is full,
/// so a live reader must never ask for bytes beyond the record it is reading.
/// </summary>
internal sealed class TrickleStream(byte[] data, int chunk = 1) : Stream
{
    private int _position;

    public bool FailWhenDry { get; set; }

    /// <summary>How many bytes the stream may hand out (the rest "has not arrived yet").</summary>
    public int Arrived { get; set; } = data.Length;

    public int Reads { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        Reads++;
        if (FailWhenDry && Arrived < data.Length && _position + count > Arrived)
        {
            throw new InvalidOperationException($"asked for {count} bytes at {_position}, past the {Arrived} bytes that have arrived");
        }

        var n = Math.Min(Math.Min(count, chunk), Arrived - _position);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
