using Terminal.Gui.App;
using Terminal.Gui.Drivers;
using Terminal.Gui.Input;
using Terminal.Gui.Testing;
using Terminal.Gui.Time;
using Terminal.Gui.Views;

namespace EbpfConsole.Tui.Tests;

/// <summary>
/// Runs the real shell (<see cref="ConsoleApp"/>) headless on the ANSI driver and drives it with a script:
/// one step per main-loop iteration, dialogs included (they run nested loops of the same app). The run
/// fails when the script ends and the shell is still running, so a missing quit cannot hang a test.
/// </summary>
internal sealed class ShellHarness : IDisposable
{
    private const int MaxIterations = 500;

    private ShellHarness(int width, int height)
    {
        Time = new VirtualTimeProvider();
        Time.SetTime(new DateTime(2026, 3, 1, 12, 0, 0));
        App = Application.Create(Time);
        App.Init(DriverRegistry.Names.ANSI);
        App.Driver!.SetScreenSize(width, height);
    }

    public IApplication App { get; }

    public VirtualTimeProvider Time { get; }

    public MainWindow Main => App.SessionStack!.Select(s => s.Runnable).OfType<MainWindow>().Single();

    public Dialog? TopDialog => App.TopRunnableView as Dialog;

    public static ShellHarness Create(int width = 80, int height = 24) => new(width, height);

    /// <summary>The main window showing <paramref name="snapshot"/> at width × height, as screen text; <paramref name="inspect"/> runs while it is shown.</summary>
    public static string RenderMain(int width, int height, EbpfConsole.Core.Shell.ConsoleSnapshot snapshot, bool noColor = false, Action<ShellHarness>? inspect = null)
    {
        using var harness = Create(width, height);
        using var main = new MainWindow(Keymap.Default, TimeZoneInfo.Utc);
        Theme.Apply(main, noColor);
        main.Apply(snapshot);
        var token = harness.App.Begin(main);
        var screen = harness.Screen();
        inspect?.Invoke(harness);
        harness.App.End(token!);
        return screen;
    }

    /// <summary>The whole screen as text, freshly laid out and drawn.</summary>
    public string Screen()
    {
        App.LayoutAndDraw(true);
        return App.Driver!.ToString() ?? "";
    }

    /// <summary>Injects <paramref name="key"/> directly into the application's key handling.</summary>
    public void Press(Key key) => App.InjectKey(key);

    /// <summary>Types <paramref name="key"/> through the ANSI encoder and parser, as a terminal sends it.</summary>
    public void Type(Key key) =>
        App.GetInputInjector().InjectKey(key, new InputInjectionOptions { Mode = InputInjectionMode.Pipeline });

    /// <summary>Waits (blocking the UI thread, which the actions do not need) for work fired off the UI thread.</summary>
    public static void WaitFor(Func<bool> condition, string what)
    {
        if (!SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException($"gave up waiting: {what}");
        }
    }

    /// <summary>Lets the shell's refresh timer fire on the next iteration.</summary>
    public void AdvanceTime() => Time.Advance(TimeSpan.FromMilliseconds(250));

    /// <summary>Runs the shell through <paramref name="steps"/>; returns the steps that ran before it stopped.</summary>
    public int Run(FakeActions actions, params Action<ShellHarness>[] steps) =>
        Run(actions, new ConsoleOptions { Time = new TestTime() }, steps);

    public int Run(FakeActions actions, ConsoleOptions options, params Action<ShellHarness>[] steps) =>
        Run(actions, null, options, steps);

    /// <summary>Runs the shell with its Capture pane driven by <paramref name="capture"/>.</summary>
    public int Run(FakeActions actions, FakeCapture? capture, params Action<ShellHarness>[] steps) =>
        Run(actions, capture, new ConsoleOptions { Time = new TestTime() }, steps);

    public int Run(FakeActions actions, FakeCapture? capture, ConsoleOptions options, params Action<ShellHarness>[] steps) =>
        Run(actions, capture, null, options, steps);

    /// <summary>Runs the shell with its Capture pane driven by <paramref name="capture"/> and its Checklist pane by <paramref name="migration"/>.</summary>
    public int Run(FakeActions actions, FakeCapture? capture, Checklist.FakeMigration? migration, params Action<ShellHarness>[] steps) =>
        Run(actions, capture, migration, new ConsoleOptions { Time = new TestTime() }, steps);

    public int Run(FakeActions actions, FakeCapture? capture, Checklist.FakeMigration? migration, ConsoleOptions options, params Action<ShellHarness>[] steps)
    {
        var next = 0;
        var iterations = 0;
        Exception? failure = null;
        void OnIteration(object? sender, EventArgs<IApplication?> e)
        {
            if (++iterations > MaxIterations || failure is not null)
            {
                App.RequestStop();
                return;
            }

            if (next < steps.Length)
            {
                try
                {
                    steps[next++](this);
                }
#pragma warning disable CA1031 // Rethrown after the loop: an assertion must not unwind through Terminal.Gui.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    failure = ex;
                    App.RequestStop();
                }
            }
            else
            {
                failure = new InvalidOperationException($"The shell still runs after all {steps.Length} steps.");
                App.RequestStop();
            }
        }

        App.Iteration += OnIteration;
        try
        {
            ConsoleApp.Run(App, actions, capture, migration, options, Keymap.Default);
        }
        finally
        {
            App.Iteration -= OnIteration;
        }

        if (failure is not null)
        {
            throw new InvalidOperationException($"Shell run failed after step {next} of {steps.Length}", failure);
        }

        return next;
    }

    public void Dispose() => App.Dispose();
}
