namespace EbpfConsole.Core.Migration.Steps;

/// <summary>What one look at the cluster found: done, not yet (keep waiting) or a failure waiting cannot fix.</summary>
internal sealed record Observation(bool Ok, bool Final, string Summary, IReadOnlyList<string> Lines)
{
    public static Observation Done(string summary, IReadOnlyList<string> lines) => new(true, false, summary, lines);

    public static Observation NotYet(string summary, IReadOnlyList<string> lines) => new(false, false, summary, lines);

    /// <summary>Verify fails now: the evidence says waiting longer will not help (e.g. "not supported by the kernel").</summary>
    public static Observation Failed(string summary, IReadOnlyList<string> lines) => new(false, true, summary, lines);

    /// <summary>Both must hold; the first that does not says why.</summary>
    public Observation And(Observation other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var lines = Lines.Concat(other.Lines).ToList();
        if (!Ok)
        {
            return this with { Lines = lines, Final = Final || other.Final };
        }

        return other.Ok ? Done($"{Summary}; {other.Summary}", lines) : other with { Lines = lines };
    }
}

/// <summary>Verify's wait: look, report progress, sleep <see cref="MigrationOptions.Poll"/> on the context's clock, until <see cref="MigrationOptions.Timeout"/>.</summary>
internal static class Polling
{
    public static async Task<VerifyResult> UntilAsync(StepContext ctx, Func<CancellationToken, Task<Observation>> look, CancellationToken ct)
    {
        var started = ctx.Time.GetUtcNow();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var seen = await look(ct).ConfigureAwait(false);
            ctx.Report(seen.Summary);
            if (seen.Ok)
            {
                return new VerifyResult(true, seen.Summary, seen.Lines);
            }

            if (seen.Final)
            {
                return new VerifyResult(false, seen.Summary, seen.Lines);
            }

            var elapsed = ctx.Time.GetUtcNow() - started;
            if (elapsed >= ctx.Options.Timeout)
            {
                return new VerifyResult(false, $"timed out after {Seconds(ctx.Options.Timeout)}: {seen.Summary}", seen.Lines);
            }

            var wait = ctx.Options.Poll < ctx.Options.Timeout - elapsed ? ctx.Options.Poll : ctx.Options.Timeout - elapsed;
            await Task.Delay(wait, ctx.Time, ct).ConfigureAwait(false);
        }
    }

    private static string Seconds(TimeSpan span) =>
        span.TotalSeconds >= 1 ? $"{Math.Round(span.TotalSeconds):0}s" : $"{span.TotalMilliseconds:0}ms";
}
