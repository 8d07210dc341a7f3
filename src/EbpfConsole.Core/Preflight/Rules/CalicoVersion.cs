using System.Globalization;
using System.Text.RegularExpressions;

namespace EbpfConsole.Core.Preflight.Rules;

/// <summary>A Calico release (v3.29.3) as read from an image tag or the Installation's status.</summary>
internal readonly partial record struct CalicoVersion(int Major, int Minor, int Patch) : IComparable<CalicoVersion>
{
    public int CompareTo(CalicoVersion other) => (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));

    public static bool operator <(CalicoVersion a, CalicoVersion b) => a.CompareTo(b) < 0;

    public static bool operator >(CalicoVersion a, CalicoVersion b) => a.CompareTo(b) > 0;

    public static bool operator <=(CalicoVersion a, CalicoVersion b) => a.CompareTo(b) <= 0;

    public static bool operator >=(CalicoVersion a, CalicoVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"v{Major}.{Minor}.{Patch}";

    /// <summary>"v3.29.3", "3.29", "v3.28.1-amd64" → the version; "latest", "master" → null.</summary>
    public static CalicoVersion? Parse(string? text)
    {
        var match = text is null ? Match.Empty : VersionPattern().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }

        var patch = match.Groups[3].Success ? int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) : 0;
        return new CalicoVersion(
            int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
            patch);
    }

    /// <summary>The tag of an image reference ("docker.io/calico/node:v3.29.3" → "v3.29.3"); null for a digest or no tag.</summary>
    public static string? ImageTag(string? image)
    {
        if (string.IsNullOrEmpty(image) || image.Contains('@', StringComparison.Ordinal))
        {
            return null;
        }

        var lastSlash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > lastSlash ? image[(colon + 1)..] : null;
    }

    [GeneratedRegex(@"^v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?(?![\d.])", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
