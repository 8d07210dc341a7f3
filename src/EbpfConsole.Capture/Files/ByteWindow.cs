using System.Runtime.CompilerServices;

namespace EbpfConsole.Capture.Files;

/// <summary>
/// A reused read buffer over a stream that tracks the absolute offset of what it holds. On a seekable
/// stream (a file) it reads ahead in large chunks; on anything else (tcpdump's stdout over SSH) it asks
/// for exactly the bytes still missing, so a record is available as soon as its last byte arrives and
/// a stream that only returns full requests never blocks on data that is not needed yet.
/// </summary>
internal sealed class ByteWindow
{
    private const int ReadAhead = 1 << 20;
    private const int InitialSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly bool _readAhead;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _endOfStream;

    public ByteWindow(Stream stream)
    {
        _stream = stream;
        _readAhead = stream.CanSeek;
        _buffer = new byte[_readAhead ? ReadAhead : InitialSize];
    }

    /// <summary>Absolute stream offset of <see cref="Span"/>'s first byte.</summary>
    public long Offset { get; private set; }

    /// <summary>Bytes buffered and not yet consumed.</summary>
    public int Available => _end - _start;

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(_start, _end - _start);

    /// <summary>Makes at least <paramref name="count"/> bytes available; false when the stream ends first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Fill(int count)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        if (_buffer.Length - _start < count)
        {
            Compact(count);
        }

        while (_end - _start < count)
        {
            if (_endOfStream)
            {
                return false;
            }

            var want = _readAhead ? _buffer.Length - _end : count - (_end - _start);
            var read = _stream.Read(_buffer, _end, want);
            if (read <= 0)
            {
                _endOfStream = true;
                return false;
            }

            _end += read;
        }

        return true;
    }

    public void Consume(int count)
    {
        _start += count;
        Offset += count;
        if (_start == _end)
        {
            _start = 0;
            _end = 0;
        }
    }

    /// <summary>Discards <paramref name="count"/> bytes without holding them all; false when the stream ends first.</summary>
    public bool Skip(long count)
    {
        while (count > 0)
        {
            if (_end == _start && !Fill((int)Math.Min(count, _buffer.Length)) && _end == _start)
            {
                return false;
            }

            var step = (int)Math.Min(count, _end - _start);
            Consume(step);
            count -= step;
        }

        return true;
    }

    private void Compact(int count)
    {
        var held = _end - _start;
        if (_buffer.Length < count)
        {
            var larger = new byte[Math.Max(count, _buffer.Length * 2)];
            Buffer.BlockCopy(_buffer, _start, larger, 0, held);
            _buffer = larger;
        }
        else
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, held);
        }

        _start = 0;
        _end = held;
    }
}
