namespace EbpfConsole.Core.Events;

public enum EventLevel
{
    Info,
    Warning,
    Error,
}

public sealed record ConsoleEvent(DateTimeOffset Time, string Source, EventLevel Level, string Message);

/// <summary>A bounded, thread-safe log of console events (lab, SSH, …) that the Log pane renders.</summary>
public sealed class EventLog
{
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly Queue<ConsoleEvent> _events = new();
    private readonly Lock _gate = new();
    private ConsoleEvent[] _snapshot = [];

    public EventLog(TimeProvider time, int capacity = 500)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = time;
        _capacity = capacity;
    }

    /// <summary>Events ever added; a view redraws only when this moved.</summary>
    public long Version { get; private set; }

    public event Action<ConsoleEvent>? Added;

    public void Add(string source, EventLevel level, string message)
    {
        var entry = new ConsoleEvent(_time.GetUtcNow(), source, level, message);
        lock (_gate)
        {
            _events.Enqueue(entry);
            while (_events.Count > _capacity)
            {
                _events.Dequeue();
            }

            _snapshot = _events.ToArray();
            Version++;
        }

        Added?.Invoke(entry);
    }

    public void Info(string source, string message) => Add(source, EventLevel.Info, message);

    public void Warn(string source, string message) => Add(source, EventLevel.Warning, message);

    public void Error(string source, string message) => Add(source, EventLevel.Error, message);

    public IReadOnlyList<ConsoleEvent> Snapshot()
    {
        lock (_gate)
        {
            return _snapshot;
        }
    }
}
