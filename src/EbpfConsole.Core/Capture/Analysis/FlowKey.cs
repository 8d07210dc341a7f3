using System.Runtime.CompilerServices;

namespace EbpfConsole.Core.Capture.Analysis;

/// <summary>
/// One TCP flow at one capture point, direction-free (the lower endpoint first), plain or inside
/// VXLAN: the key that finds the connection leg of a segment that is neither SYN nor SYN-ACK.
/// </summary>
internal readonly struct FlowKey : IEquatable<FlowKey>
{
    private readonly IpKey _a;
    private readonly IpKey _b;
    private readonly uint _ports;
    private readonly int _pointAndEncapsulation;

    private FlowKey(IpKey a, IpKey b, uint ports, int pointAndEncapsulation)
    {
        _a = a;
        _b = b;
        _ports = ports;
        _pointAndEncapsulation = pointAndEncapsulation;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FlowKey Create(int point, in DecodedPacket packet) =>
        Create(point, packet.Encapsulated, packet.Source, packet.SourcePort, packet.Destination, packet.DestinationPort);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static FlowKey Create(int point, bool encapsulated, IpKey source, ushort sourcePort, IpKey destination, ushort destinationPort)
    {
        var pointAndEncapsulation = point << 1 | (encapsulated ? 1 : 0);
        var sourceFirst = source.High < destination.High
            || (source.High == destination.High
                && (source.Low < destination.Low || (source.Low == destination.Low && sourcePort <= destinationPort)));
        return sourceFirst
            ? new(source, destination, (uint)sourcePort << 16 | destinationPort, pointAndEncapsulation)
            : new(destination, source, (uint)destinationPort << 16 | sourcePort, pointAndEncapsulation);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Equals(FlowKey other) =>
        _a.Low == other._a.Low && _b.Low == other._b.Low && _ports == other._ports
        && _pointAndEncapsulation == other._pointAndEncapsulation && _a.High == other._a.High && _b.High == other._b.High;

    public override bool Equals(object? obj) => obj is FlowKey other && Equals(other);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override int GetHashCode()
    {
        var hash = (_a.Low * 0x9E3779B97F4A7C15UL) ^ (_b.Low * 0xC2B2AE3D27D4EB4FUL) ^ _a.High ^ (_b.High << 1);
        hash ^= ((ulong)_ports << 20) ^ (uint)_pointAndEncapsulation;
        hash *= 0x165667B19E3779F9UL;
        return (int)(hash ^ (hash >> 32));
    }
}
