namespace EbpfConsole.Tui;

/// <summary>How the console shell runs. The CLI fills it from flags and the environment.</summary>
public sealed record ConsoleOptions
{
    /// <summary>Monochrome: no colours at all (the caller sets it when NO_COLOR is present and not empty).</summary>
    public bool NoColor { get; init; }

    /// <summary>Terminal.Gui driver name (e.g. "ansi"); null picks the platform's default.</summary>
    public string? Driver { get; init; }

    /// <summary>How often the UI pulls <c>IConsoleActions.Latest</c>.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Clock and time zone for the shell's own log lines and the times shown.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>NO_COLOR semantics (https://no-color.org): set and not empty.</summary>
    public static bool NoColorRequested(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        return !string.IsNullOrEmpty(getEnvironmentVariable("NO_COLOR"));
    }
}
