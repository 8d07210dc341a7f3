namespace EbpfConsole.Capture.Remote;

/// <summary>How a <see cref="RemoteTcpdumpSource"/> runs tcpdump on its node.</summary>
public sealed record RemoteCaptureOptions
{
    public static RemoteCaptureOptions Default { get; } = new();

    /// <summary>Bytes kept per packet (tcpdump -s).</summary>
    public int SnapLength { get; init; } = TcpdumpCommand.DefaultSnapLength;

    /// <summary>
    /// What runs tcpdump as root: null (the default) means none for root and <c>sudo -n</c> for any other SSH user;
    /// an empty string means never (tcpdump has CAP_NET_RAW itself).
    /// </summary>
    public string? PrivilegePrefix { get; init; }

    /// <summary>How long to wait for tcpdump's pcap header (it comes as soon as tcpdump listens).</summary>
    public TimeSpan HeaderTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a stop waits for tcpdump to end and the channel to close before closing it anyway.</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Seconds between tcpdump statistics reports (kernel drops while running); 0 for the final report only.</summary>
    public int StatsIntervalSeconds { get; init; } = TcpdumpCommand.DefaultStatsIntervalSeconds;

    /// <summary>Compile the filter with the local libpcap first, so a typo fails before SSH is used.</summary>
    public bool CheckFilterLocally { get; init; } = true;

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The prefix for <paramref name="user"/> (see <see cref="PrivilegePrefix"/>), null for none.</summary>
    public string? PrefixFor(string user) => PrivilegePrefix switch
    {
        null => user == "root" ? null : TcpdumpCommand.SudoPrefix,
        "" => null,
        var prefix => prefix,
    };
}
