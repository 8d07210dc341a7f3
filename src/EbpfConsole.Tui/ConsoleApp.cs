using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Shell;
using Terminal.Gui.App;

namespace EbpfConsole.Tui;

/// <summary>The console shell's entry point: one Terminal.Gui application instance, no statics.</summary>
public static class ConsoleApp
{
    /// <summary>Main-loop iterations per second (input read, timers, draws when needed).</summary>
    public const int MaxIterationsPerSecond = 100;

    /// <summary>
    /// Runs the console full-screen until the user quits. The UI pulls <see cref="IConsoleActions.Latest"/>
    /// every <see cref="ConsoleOptions.RefreshInterval"/> and redraws only when it changed. Never writes logs
    /// to the terminal. Returns 0.
    /// </summary>
    public static int Run(IConsoleActions actions, ConsoleOptions options) => Run(actions, null, options);

    /// <summary>
    /// Runs the console with its Capture pane driven by <paramref name="capture"/>; null leaves the pane saying
    /// capture is not available here. The pane pulls <see cref="ICaptureActions.Latest"/> on the same timer.
    /// </summary>
    public static int Run(IConsoleActions actions, ICaptureActions? capture, ConsoleOptions options) => Run(actions, capture, null, options);

    /// <summary>
    /// Runs the console with its Capture pane driven by <paramref name="capture"/> and its Checklist pane by
    /// <paramref name="migration"/>; null leaves that pane saying it is not available here. Both panes pull their
    /// <c>Latest</c> on the same timer.
    /// </summary>
    public static int Run(IConsoleActions actions, ICaptureActions? capture, IMigrationActions? migration, ConsoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(options);
        // Terminal.Gui paces its main loop to 25 iterations a second by default: a key could wait 40 ms
        // before it is even read. 100 keeps key-to-screen latency low; iterations that draw nothing are cheap.
        Application.MaximumIterationsPerSecond = MaxIterationsPerSecond;
        using var app = Application.Create();
        app.Init(options.Driver);
        return Run(app, actions, capture, migration, options, Keymap.Default);
    }

    /// <summary>Runs the shell on an initialised <paramref name="app"/> (tests pass a headless one).</summary>
    internal static int Run(IApplication app, IConsoleActions actions, ConsoleOptions options, Keymap keymap) =>
        Run(app, actions, null, options, keymap);

    internal static int Run(IApplication app, IConsoleActions actions, ICaptureActions? capture, ConsoleOptions options, Keymap keymap) =>
        Run(app, actions, capture, null, options, keymap);

    internal static int Run(IApplication app, IConsoleActions actions, ICaptureActions? capture, IMigrationActions? migration, ConsoleOptions options, Keymap keymap)
    {
        using var window = new MainWindow(keymap, options.Time.LocalTimeZone);
        using var controller = new ShellController(app, window, actions, capture, migration, keymap, options);
        Theme.Apply(window, options.NoColor);
        controller.Tick();
        var timer = app.AddTimeout(options.RefreshInterval, () =>
        {
            controller.Tick();
            return true;
        });
        try
        {
            app.Run(window);
        }
        finally
        {
            if (timer is not null)
            {
                app.RemoveTimeout(timer);
            }
        }

        return 0;
    }
}
