using System.Text.RegularExpressions;

namespace EbpfConsole.Core.Preflight.Rules;

/// <summary>
/// Felix's default BPFDataIfacePattern per Calico release (P12), read from felix/config/config_params.go at each
/// release tag of projectcalico/calico. Note: `bond` entered the default in v3.28.1 (#8803, "Interface autodetection -
/// ebpf"), earlier than DOMAIN.md's "from 3.30"; v3.30 dropped the tunnel devices (Felix attaches to those itself).
/// </summary>
internal static class DataIfacePatterns
{
    /// <summary>(first release with this default, the default), oldest first.</summary>
    public static IReadOnlyList<(CalicoVersion Since, string Pattern)> History { get; } =
    [
        (new(3, 13, 0), @"^(en.*|eth.*|tunl0$)"),
        (new(3, 16, 0), @"^(en.*|eth.*|tunl0$|wireguard.cali$)"),
        (new(3, 16, 1), @"^(en[opsx].*|eth.*|tunl0$|wireguard.cali$)"),
        (new(3, 17, 0), @"^((en|wl|ww|sl|ib)[opsx].*|(eth|wlan|wwan).*|tunl0$|wireguard.cali$)"),
        (new(3, 20, 0), @"^((en|wl|ww|sl|ib)[opsx].*|(eth|wlan|wwan).*|tunl0$|vxlan.calico$|wireguard.cali$)"),
        (new(3, 24, 0), @"^((en|wl|ww|sl|ib)[opsx].*|(eth|wlan|wwan).*|tunl0$|vxlan.calico$|wireguard.cali$|wg-v6.cali$)"),
        (new(3, 25, 0), @"^((en|wl|ww|sl|ib)[Popsx].*|(eth|wlan|wwan).*|tunl0$|vxlan.calico$|wireguard.cali$|wg-v6.cali$)"),
        (new(3, 27, 0), @"^((en|wl|ww|sl|ib)[Popsx].*|(eth|wlan|wwan).*|tunl0$|vxlan.calico$|vxlan-v6.calico$|wireguard.cali$|wg-v6.cali$)"),
        (new(3, 28, 1), @"^((en|wl|ww|sl|ib)[Popsx].*|(eth|wlan|wwan|bond).*|tunl0$|vxlan.calico$|vxlan-v6.calico$|wireguard.cali$|wg-v6.cali$)"),
        (new(3, 30, 0), @"^((en|wl|ww|sl|ib)[Popsx].*|(eth|wlan|wwan|bond).*)"),
    ];

    /// <summary>The default of <paramref name="version"/>; the newest known default when the version is unknown.</summary>
    public static string DefaultFor(CalicoVersion? version)
    {
        if (version is not { } v)
        {
            return History[^1].Pattern;
        }

        var pattern = History[0].Pattern;
        foreach (var (since, candidate) in History)
        {
            if (v >= since)
            {
                pattern = candidate;
            }
        }

        return pattern;
    }

    /// <summary>Whether Felix (Go regexp, unanchored MatchString) would match <paramref name="iface"/>; null when the pattern is not a valid regex.</summary>
    public static bool? Matches(string pattern, string iface)
    {
        try
        {
            return Regex.IsMatch(iface, pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
    }
}
