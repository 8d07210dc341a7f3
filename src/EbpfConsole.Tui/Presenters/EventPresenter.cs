using EbpfConsole.Core.Events;

namespace EbpfConsole.Tui.Presenters;

/// <summary>ConsoleEvent → one log line, <c>HH:mm:ss source level message</c> (pure).</summary>
public static class EventPresenter
{
    public static string Level(EventLevel level) => level switch
    {
        EventLevel.Warning => "warn ",
        EventLevel.Error => "error",
        _ => "info ",
    };

    public static string ToLine(ConsoleEvent entry, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var time = TimeZoneInfo.ConvertTime(entry.Time, zone);
        return $"{time:HH:mm:ss} {entry.Source} {Level(entry.Level)} {NodePresenter.OneLine(entry.Message)}";
    }
}
