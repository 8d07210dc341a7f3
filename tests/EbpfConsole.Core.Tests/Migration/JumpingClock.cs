namespace EbpfConsole.Core.Tests.Migration;

/// <summary>
/// A manual clock for verify loops: every timer (Task.Delay on this provider) moves the clock forward by its due time and
/// fires at once, so a 3-minute wait runs instantly and deterministically. <see cref="Delays"/> records each wait.
/// </summary>
internal sealed class JumpingClock(DateTimeOffset start) : TimeProvider
{
    private readonly object _gate = new();
    private DateTimeOffset _now = start;

    public JumpingClock()
        : this(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public List<TimeSpan> Delays { get; } = [];

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new FiredTimer();
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return timer;
        }

        lock (_gate)
        {
            _now += dueTime;
            Delays.Add(dueTime);
        }

        ThreadPool.QueueUserWorkItem(_ =>
        {
            if (!timer.Disposed)
            {
                callback(state);
            }
        });
        return timer;
    }

    private sealed class FiredTimer : ITimer
    {
        public volatile bool Disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period) => !Disposed;

        public void Dispose() => Disposed = true;

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
