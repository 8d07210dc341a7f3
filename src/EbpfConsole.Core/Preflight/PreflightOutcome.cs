namespace EbpfConsole.Core.Preflight;

/// <summary>Verdict counts of a run.</summary>
public sealed record VerdictCounts(int Pass, int Warn, int Fail, int Unknown)
{
    public int Total => Pass + Warn + Fail + Unknown;

    public override string ToString() => $"{Fail} fail, {Warn} warn, {Unknown} unknown, {Pass} pass";
}

/// <summary>What a finished run means for the CLI: counts and the exit code.</summary>
public static class PreflightOutcome
{
    /// <summary>Every check passed or warned.</summary>
    public const int Ready = 0;

    /// <summary>At least one check failed.</summary>
    public const int Failed = 1;

    /// <summary>Preflight could not run, or some checks could not be evaluated (unknown) and none failed.</summary>
    public const int CouldNotRun = 2;

    public static VerdictCounts Count(PreflightSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var all = snapshot.AllResults.ToArray();
        return new VerdictCounts(
            all.Count(r => r.Verdict == Verdict.Pass),
            all.Count(r => r.Verdict == Verdict.Warn),
            all.Count(r => r.Verdict == Verdict.Fail),
            all.Count(r => r.Verdict == Verdict.Unknown));
    }

    /// <summary>
    /// 1 when any check failed (a definite finding beats missing evidence); else 2 when preflight could not run or any
    /// check is unknown (an unreachable node is not a ready node); else 0.
    /// </summary>
    public static int ExitCode(PreflightSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Error is not null)
        {
            return CouldNotRun;
        }

        var counts = Count(snapshot);
        return counts.Fail > 0 ? Failed : counts.Unknown > 0 || counts.Total == 0 ? CouldNotRun : Ready;
    }
}
