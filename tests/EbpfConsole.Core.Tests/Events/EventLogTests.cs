using EbpfConsole.Core.Events;

namespace EbpfConsole.Core.Tests.Events;

public sealed class EventLogTests
{
    [Fact]
    public void Add_BeyondCapacity_KeepsTheNewestInOrder()
    {
        var log = new EventLog(TimeProvider.System, capacity: 3);

        for (var i = 0; i < 5; i++)
        {
            log.Info("test", $"event {i}");
        }

        Assert.Equal(["event 2", "event 3", "event 4"], log.Snapshot().Select(e => e.Message));
        Assert.Equal(5, log.Version);
    }

    [Fact]
    public void Snapshot_IsNotChangedByLaterEvents()
    {
        var log = new EventLog(TimeProvider.System);
        log.Warn("lab", "first");
        var before = log.Snapshot();

        log.Error("lab", "second");

        Assert.Single(before);
        Assert.Equal(EventLevel.Error, log.Snapshot()[^1].Level);
    }
}
