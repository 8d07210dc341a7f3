using SharpPcap.LibPcap;

namespace EbpfConsole.Capture.Local;

/// <summary>
/// Checks a BPF filter with the local libpcap (pcap_compile on a dead Ethernet handle), so a typo is reported before
/// anything is started here or on a node: <c>filter 'tcp prt 80': syntax error</c>.
/// </summary>
public static class LibPcapFilter
{
    /// <summary>
    /// Null when libpcap compiles <paramref name="filter"/> (or it is empty); otherwise one line naming the filter and
    /// libpcap's complaint. When libpcap itself cannot be loaded, <paramref name="libpcapMissing"/> is true and the
    /// result is null: the caller decides whether that matters (tcpdump on a node checks the filter again).
    /// </summary>
    public static string? Problem(string? filter, out bool libpcapMissing)
    {
        libpcapMissing = false;
        if (string.IsNullOrWhiteSpace(filter))
        {
            return null;
        }

        try
        {
            return PcapDevice.CheckFilter(filter, out var error)
                ? null
                : $"filter '{Remote.TcpdumpCommand.Display(filter)}': {Clean(error)}";
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            libpcapMissing = true;
            return null;
        }
    }

    /// <summary>libpcap says "can't parse filter expression: syntax error"; the user needs only the last part.</summary>
    private static string Clean(string? error)
    {
        var text = Remote.TcpdumpCommand.Display((error ?? "not accepted by libpcap").Trim());
        const string prefix = "can't parse filter expression: ";
        return text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : text;
    }
}
