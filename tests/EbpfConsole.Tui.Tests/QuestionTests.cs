using EbpfConsole.Core.Shell;
using EbpfConsole.Tui.Dialogs;
using Terminal.Gui.Input;
using Xunit.Abstractions;

namespace EbpfConsole.Tui.Tests;

/// <summary>Questions background work puts to the user (unknown host key, key passphrase), through the real shell.</summary>
public class QuestionTests(ITestOutputHelper output)
{
    private static string Flat(string screen) =>
        string.Join(" ", screen.Split('\n').Select(l => l.Trim().Trim('│', '┃').Trim()));

    private static List<(long Id, string? Answer)> Answers(FakeActions actions)
    {
        lock (actions.Answers)
        {
            return [.. actions.Answers];
        }
    }

    /// <summary>Steps until the question's dialog is on top (it opens on the main loop's next turn, outside the timer).</summary>
    private static Action<ShellHarness> DialogOpen => s => Assert.IsType<QuestionDialog>(s.TopDialog);

    [Theory]
    [InlineData(80, 24)]
    [InlineData(120, 40)]
    public void HostKey_TextInFull_FingerprintWholeOnOneLine_EnterSaysNo(int width, int height)
    {
        using var shell = ShellHarness.Create(width, height);
        var actions = new FakeActions(PreflightSamples.Lab(PreflightSamples.Done(), PreflightSamples.HostKey()));
        string? screen = null;
        shell.Run(actions,
            s => { },
            DialogOpen,
            s => screen = s.Screen(),
            s => s.Press(Key.Enter),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.Press(Key.Q));

        output.WriteLine(screen);
        Assert.Contains(screen!.Split('\n'), l => l.Contains(PreflightSamples.Fingerprint, StringComparison.Ordinal));
        var flat = Flat(screen);
        Assert.Contains("Unknown host key", flat, StringComparison.Ordinal);
        Assert.Contains("The authenticity of host 'node-2 (10.99.0.12)' can't be established.", flat, StringComparison.Ordinal);
        Assert.Contains("Are you sure you want to continue connecting?", flat, StringComparison.Ordinal);
        Assert.Contains("Yes", flat, StringComparison.Ordinal);
        Assert.Contains("No", flat, StringComparison.Ordinal);
        Assert.Equal([(7L, (string?)null)], Answers(actions));
    }

    [Fact]
    public void HostKey_Yes_AnswersYes_AndTheLogSaysSo()
    {
        using var shell = ShellHarness.Create();
        var actions = new FakeActions(PreflightSamples.Lab(PreflightSamples.Done(), PreflightSamples.HostKey()));
        string? screen = null;
        shell.Run(actions,
            s => { },
            DialogOpen,
            s => s.Press(Key.Tab.WithShift),
            s => s.Press(Key.Enter),
            s => s.AdvanceTime(),
            s => screen = Flat(s.Screen()),
            s => s.Press(Key.Q));

        Assert.Equal([(7L, (string?)"yes")], Answers(actions));
        Assert.Contains("console info  Unknown host key: yes", screen, StringComparison.Ordinal);
    }

    [Fact]
    public void HostKey_Esc_SaysNo()
    {
        using var shell = ShellHarness.Create();
        var actions = new FakeActions(PreflightSamples.Lab(null, PreflightSamples.HostKey()));
        shell.Run(actions,
            s => { },
            DialogOpen,
            s => s.Press(Key.Esc),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.Press(Key.Q));

        Assert.Equal([(7L, (string?)null)], Answers(actions));
    }

    [Fact]
    public void SameQuestionId_NeverAskedTwice_ANewOneIs()
    {
        using var shell = ShellHarness.Create();
        var actions = new FakeActions(PreflightSamples.Lab(PreflightSamples.Done(), PreflightSamples.HostKey(7)));
        shell.Run(actions,
            s => { },
            DialogOpen,
            s => s.Press(Key.Esc),
            // The session still shows question 7 (the answer is on its way): it is not asked again.
            s => s.AdvanceTime(),
            s => { },
            s => s.AdvanceTime(),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s =>
            {
                actions.Latest = PreflightSamples.Lab(PreflightSamples.Done(), PreflightSamples.HostKey(9));
                s.AdvanceTime();
            },
            s => { },
            DialogOpen,
            s => Assert.Equal(9, ((QuestionDialog)s.TopDialog!).Question.Id),
            s => s.Press(Key.Esc),
            s => s.Press(Key.Q));

        Assert.Equal([(7L, (string?)null), (9L, (string?)null)], Answers(actions));
    }

    [Fact]
    public void Passphrase_TypedWithoutEcho_EnterAnswersIt_LogNeverHasIt()
    {
        using var shell = ShellHarness.Create();
        var actions = new FakeActions(PreflightSamples.Lab(PreflightSamples.Done(), PreflightSamples.Passphrase()));
        string? typing = null;
        string? after = null;
        shell.Run(actions,
            s => { },
            DialogOpen,
            s =>
            {
                foreach (var c in "s3cret")
                {
                    s.Press(new Key(c));
                }
            },
            s => typing = s.Screen(),
            s => s.Press(Key.Enter),
            s => s.AdvanceTime(),
            s => after = Flat(s.Screen()),
            s => s.Press(Key.Q));

        output.WriteLine(typing);
        Assert.Contains("Enter the passphrase for /root/.ssh/id_ed25519 (node-1):", Flat(typing!), StringComparison.Ordinal);
        Assert.Contains("OK", typing!, StringComparison.Ordinal);
        Assert.Contains("Skip", typing!, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", typing!, StringComparison.Ordinal);
        Assert.Equal([(8L, (string?)"s3cret")], Answers(actions));
        Assert.Contains("Key passphrase: passphrase given", after, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", after, StringComparison.Ordinal);
    }

    [Fact]
    public void Passphrase_Esc_Skips()
    {
        using var shell = ShellHarness.Create();
        var actions = new FakeActions(PreflightSamples.Lab(PreflightSamples.Done(), PreflightSamples.Passphrase()));
        shell.Run(actions,
            s => { },
            DialogOpen,
            s => s.Press(new Key('x')),
            s => s.Press(Key.Esc),
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.Press(Key.Q));

        Assert.Equal([(8L, (string?)null)], Answers(actions));
    }

    [Fact]
    public void Withdrawn_WhileOpen_DialogClosesWithoutAnAnswer_ScreenKeepsUpdatingMeanwhile()
    {
        using var shell = ShellHarness.Create();
        var actions = new FakeActions(PreflightSamples.Lab(PreflightSamples.Running(2), PreflightSamples.HostKey()));
        string? under = null;
        shell.Run(actions,
            s => { },
            DialogOpen,
            s =>
            {
                // The run finishes while the question is open: the pane under the dialog follows.
                actions.Latest = PreflightSamples.Lab(PreflightSamples.Done(), PreflightSamples.HostKey());
                s.AdvanceTime();
            },
            s => under = s.Main.Nodes.StatusText,
            s =>
            {
                actions.Latest = PreflightSamples.Lab(PreflightSamples.Done());
                s.AdvanceTime();
            },
            s => { },
            s => Assert.Same(s.Main, s.App.TopRunnableView),
            s => s.AdvanceTime(),
            s => Assert.Contains("\"Unknown host key\" was withdrawn before it was answered", Flat(s.Screen()), StringComparison.Ordinal),
            s => s.Press(Key.Q));

        Assert.StartsWith("checked 2 nodes", under, StringComparison.Ordinal);
        Assert.Empty(Answers(actions));
    }

    [Fact]
    public void Dialog_TextWidth_FitsThe80ColumnScreen()
    {
        var dialog = new QuestionDialog(PreflightSamples.HostKey(), QuestionDialog.TextWidth(80));

        Assert.All(dialog.Lines, l => Assert.True(l.Length <= 72, l));
        Assert.Contains(dialog.Lines, l => l.Contains(PreflightSamples.Fingerprint, StringComparison.Ordinal));
        dialog.Dispose();
    }
}
