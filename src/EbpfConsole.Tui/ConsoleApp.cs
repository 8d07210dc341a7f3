using EbpfConsole.Core.Shell;
using Terminal.Gui.App;

namespace EbpfConsole.Tui;

/// <summary>The console shell's entry point: one Terminal.Gui application instance, no statics.</summary>
public static class ConsoleApp
{
    /// <summary>
    /// Runs the console full-screen until the user quits. The UI pulls <see cref="IConsoleActions.Latest"/>
    /// every <see cref="ConsoleOptions.RefreshInterval"/> and redraws only when it changed. Never writes logs
    /// to the terminal. Returns 0.
    /// </summary>
    public static int Run(IConsoleActions actions, ConsoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(options);
        using var app = Application.Create();
        app.Init(options.Driver);
        return Run(app, actions, options, Keymap.Default);
    }

    /// <summary>Runs the shell on an initialised <paramref name="app"/> (tests pass a headless one).</summary>
    internal static int Run(IApplication app, IConsoleActions actions, ConsoleOptions options, Keymap keymap)
    {
        using var window = new MainWindow(keymap, options.Time.LocalTimeZone);
        using var controller = new ShellController(app, window, actions, keymap, options);
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
