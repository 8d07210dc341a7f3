namespace EbpfConsole.Tui.Tests;

/// <summary>A clock fixed at <see cref="FakeActions.T0"/> in UTC, so the times shown do not depend on the machine.</summary>
internal sealed class TestTime : TimeProvider
{
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow() => FakeActions.T0.AddMinutes(1);
}

/// <summary>A clock the test moves by hand, in UTC.</summary>
internal sealed class SteppingTime : TimeProvider
{
    public DateTimeOffset Now { get; set; } = FakeActions.T0;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow() => Now;
}
