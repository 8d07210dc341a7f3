namespace EbpfConsole.Core.Preflight;

/// <summary>A check's outcome. <see cref="Unknown"/>: the evidence could not be read (the reason says why).</summary>
public enum Verdict
{
    Pass,
    Warn,
    Fail,
    Unknown,
}

/// <summary>Names (as in the JSON: pass, warn, fail, unknown) and glyphs that keep their meaning without colour.</summary>
public static class Verdicts
{
    public static string ToName(this Verdict verdict) => verdict switch
    {
        Verdict.Pass => "pass",
        Verdict.Warn => "warn",
        Verdict.Fail => "fail",
        _ => "unknown",
    };

    /// <summary>✓ pass, ! warn, ✗ fail, ? unknown.</summary>
    public static string Glyph(this Verdict verdict) => verdict switch
    {
        Verdict.Pass => "✓",
        Verdict.Warn => "!",
        Verdict.Fail => "✗",
        _ => "?",
    };

    /// <summary>The worse of two verdicts: fail &gt; unknown &gt; warn &gt; pass.</summary>
    public static Verdict Worst(Verdict a, Verdict b) => Rank(a) >= Rank(b) ? a : b;

    private static int Rank(Verdict v) => v switch
    {
        Verdict.Pass => 0,
        Verdict.Warn => 1,
        Verdict.Unknown => 2,
        _ => 3,
    };
}
