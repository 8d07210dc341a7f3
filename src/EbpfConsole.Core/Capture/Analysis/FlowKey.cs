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

    public static FlowKey Create(int point, in DecodedPacket packet)
    {
        var pointAndEncapsulation = point << 1 | (packet.Encapsulated ? 1 : 0);
        var sourceFirst = packet.Source.High < packet.Destination.High
            || (packet.Source.High == packet.Destination.High
                && (packet.Source.Low < packet.Destination.Low
                    || (packet.Source.Low == packet.Destination.Low && packet.SourcePort <= packet.DestinationPort)));
        return sourceFirst
            ? new(packet.Source, packet.Destination, (uint)packet.SourcePort << 16 | packet.DestinationPort, pointAndEncapsulation)
            : new(packet.Destination, packet.Source, (uint)packet.DestinationPort << 16 | packet.SourcePort, pointAndEncapsulation);
    }

    public bool Equals(FlowKey other) =>
        _a.Low == other._a.Low && _b.Low == other._b.Low && _ports == other._ports
        && _pointAndEncapsulation == other._pointAndEncapsulation && _a.High == other._a.High && _b.High == other._b.High;

    public override bool Equals(object? obj) => obj is FlowKey other && Equals(other);

    public override int GetHashCode()
    {
        var hash = (_a.Low * 0x9E3779B97F4A7C15UL) ^ (_b.Low * 0xC2B2AE3D27D4EB4FUL) ^ _a.High ^ (_b.High << 1);
        hash ^= ((ulong)_ports << 20) ^ (uint)_pointAndEncapsulation;
        hash *= 0x165667B19E3779F9UL;
        return (int)(hash ^ (hash >> 32));
    }
}
