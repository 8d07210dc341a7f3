namespace EbpfConsole.Capture.Files;

/// <summary>
/// Converts a pcapng timestamp (units of if_tsresol: 10^-n or 2^-n seconds, plus if_tsoffset seconds) to
/// nanoseconds since the Unix epoch.
/// </summary>
internal readonly struct TimestampScale
{
    private const ulong NanosPerSecond = 1_000_000_000;

    private readonly ulong _multiplier;
    private readonly ulong _divisor;
    private readonly int _binaryShift;
    private readonly long _offsetNs;

    private TimestampScale(ulong multiplier, ulong divisor, int binaryShift, long offsetNs)
    {
        _multiplier = multiplier;
        _divisor = divisor;
        _binaryShift = binaryShift;
        _offsetNs = offsetNs;
    }

    /// <summary>pcapng's default: microseconds.</summary>
    public static TimestampScale Microseconds { get; } = FromResolution(6, 0);

    /// <param name="tsresol">The if_tsresol byte: high bit clear = 10^-n, set = 2^-n seconds per unit.</param>
    /// <param name="offsetSeconds">if_tsoffset: seconds added to every timestamp.</param>
    public static TimestampScale FromResolution(byte tsresol, long offsetSeconds)
    {
        var offsetNs = unchecked(offsetSeconds * (long)NanosPerSecond);
        var n = tsresol & 0x7F;
        if ((tsresol & 0x80) != 0)
        {
            return new TimestampScale(0, 0, n == 0 ? -1 : n, offsetNs);
        }

        if (n <= 9)
        {
            return new TimestampScale(Pow10(9 - n), 1, 0, offsetNs);
        }

        // 10^19 is the largest power of ten in a ulong; finer resolutions round every timestamp to 0 ns.
        return new TimestampScale(1, n - 9 <= 19 ? Pow10(n - 9) : ulong.MaxValue, 0, offsetNs);
    }

    public long ToNanoseconds(ulong units)
    {
        ulong ns;
        if (_binaryShift > 0)
        {
            ns = (ulong)(((UInt128)units * NanosPerSecond) >> _binaryShift);
        }
        else if (_binaryShift < 0)
        {
            ns = unchecked(units * NanosPerSecond);
        }
        else
        {
            ns = _divisor == 1 ? unchecked(units * _multiplier) : units / _divisor;
        }

        return unchecked((long)ns + _offsetNs);
    }

    private static ulong Pow10(int exponent)
    {
        ulong value = 1;
        for (var i = 0; i < exponent; i++)
        {
            value *= 10;
        }

        return value;
    }
}
