using System.Globalization;
using System.Text.RegularExpressions;

namespace EbpfConsole.Core.Preflight.Rules;

/// <summary>
/// A kernel release as `uname -r` prints it: "5.4.0-1045-aws", "4.18.0-305.el8.x86_64", "6.8.0-45-generic".
/// <see cref="Build"/> is the first number after the dash (RHEL's z-stream: 305 in 4.18.0-305.el8), which the RHEL floor
/// of P2 compares.
/// </summary>
internal readonly partial record struct KernelRelease(int Major, int Minor, int Patch, int Build, string Text)
{
    /// <summary>Null when the text does not start with "N.N".</summary>
    public static KernelRelease? Parse(string? text)
    {
        var match = text is null ? Match.Empty : ReleasePattern().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }

        return new KernelRelease(
            Number(match.Groups[1].Value),
            Number(match.Groups[2].Value),
            match.Groups[3].Success ? Number(match.Groups[3].Value) : 0,
            match.Groups[4].Success ? Number(match.Groups[4].Value) : 0,
            text!.Trim());
    }

    /// <summary>RHEL and its rebuilds: /proc/version says "Red Hat", or the release carries an el8 / el9_4 tag (P2).</summary>
    public static bool IsRhel(string release, string? procVersion) =>
        (procVersion?.Contains("Red Hat", StringComparison.Ordinal) ?? false) || RhelTag().IsMatch(release);

    /// <summary>Compares (major, minor, patch, build) with a floor.</summary>
    public bool IsOlderThan(int major, int minor, int patch = 0, int build = 0) =>
        (Major, Minor, Patch, Build).CompareTo((major, minor, patch, build)) < 0;

    /// <summary>"5.4.0", or "4.18.0-305" when the build matters.</summary>
    public string Short(bool withBuild) => withBuild ? $"{Major}.{Minor}.{Patch}-{Build}" : $"{Major}.{Minor}.{Patch}";

    private static int Number(string digits) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;

    [GeneratedRegex(@"^(\d{1,6})\.(\d{1,6})(?:\.(\d{1,6}))?(?:-(\d{1,9}))?", RegexOptions.CultureInvariant)]
    private static partial Regex ReleasePattern();

    [GeneratedRegex(@"\.el\d+(_\d+)?(\.|$)", RegexOptions.CultureInvariant)]
    private static partial Regex RhelTag();
}
