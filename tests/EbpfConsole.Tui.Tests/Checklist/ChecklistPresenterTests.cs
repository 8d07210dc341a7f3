using EbpfConsole.Core.Migration;
using EbpfConsole.Tui.Presenters;

namespace EbpfConsole.Tui.Tests.Checklist;

public class ChecklistPresenterTests
{
    [Fact]
    public void Header_Narrow_JournalShortensThenGoes_FlagsStay()
    {
        var snapshot = FakeMigration.Snapshot(readOnly: true) with { Running = StepId.M6, Progress = "1/2 calico-node pods Ready" };

        Assert.Equal(
            "READ-ONLY · ▶ M6: 1/2 calico-node pods Ready · manifest (Calico v3.29.3) · journal ~/.local/state/ebpf-console/migrations/lab.jsonl",
            ChecklistPresenter.Header(snapshot, 200, "/home/op"));
        Assert.Equal(
            "READ-ONLY · ▶ M6: 1/2 calico-node pods Ready · manifest (Calico v3.29.3) · journal …/lab.jsonl",
            ChecklistPresenter.Header(snapshot, 100, "/home/op"));
        Assert.Equal("READ-ONLY · ▶ M6: 1/2 calico-node pods Ready · manifest (Calico v3.29.3)", ChecklistPresenter.Header(snapshot, 75, "/home/op"));
        Assert.Equal("READ-ONLY · ▶ M6: 1/2 calico-node pods Ready · ma…", ChecklistPresenter.Header(snapshot, 50, "/home/op"));
    }

    [Fact]
    public void Rows_Narrow_NoReasonColumn_StatesLineUp()
    {
        var rows = ChecklistPresenter.Rows(FakeMigration.Rows(), 38);

        Assert.All(rows, r => Assert.True(r.Length <= 38, r));
        Assert.Equal("✓ M0  Snapshot the object… done", rows[0]);
        Assert.Equal("○ M10 Emergency tc cleanu… pending", rows[^1]);
    }

    [Fact]
    public void Rows_Wide_ReasonAfterTheState()
    {
        var rows = ChecklistPresenter.Rows(FakeMigration.Rows(), 118);

        Assert.Equal("⊘ M6  Enable the eBPF dataplane          blocked     M4 is not done", rows[6]);
        Assert.Equal("○ M8  Test workload: nginx + NodePort 3… pending", rows[8]);
    }

    [Fact]
    public void Row_LongReason_CutToTheWidth()
    {
        var row = new StepRow(StepId.M6, "Enable eBPF", StepState.Failed, new string('x', 200), "", true);

        var line = Assert.Single(ChecklistPresenter.Rows([row], 80));

        Assert.Equal(80, line.Length);
        Assert.EndsWith("x…", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Banner_OnlyWhenInterrupted()
    {
        Assert.Null(ChecklistPresenter.Banner(FakeMigration.Snapshot()));
        var snapshot = FakeMigration.Snapshot(interrupted: "M4 apply was interrupted\nat 12:03");
        Assert.Equal("! M4 apply was interrupted ⏎ at 12:03: a resume, u roll back", ChecklistPresenter.Banner(snapshot));
        Assert.Equal("! M4 apply was interru…: a resume, u roll back", ChecklistPresenter.Banner(snapshot, 46));
        Assert.Equal("! M4 apply was in…", ChecklistPresenter.Banner(snapshot, 18));
    }

    [Fact]
    public void Selected_StateAndReason() =>
        Assert.Equal("M6 blocked: M4 is not done", ChecklistPresenter.Selected(FakeMigration.Rows()[6], 80));

    [Fact]
    public void ShortPath_UnderHome_Tilde_ElsewhereUnchanged()
    {
        Assert.Equal("~/.local/x.jsonl", ChecklistPresenter.ShortPath("/home/op/.local/x.jsonl", "/home/op"));
        Assert.Equal("/var/lib/x.jsonl", ChecklistPresenter.ShortPath("/var/lib/x.jsonl", "/home/op"));
        Assert.Equal("/home/operator/x", ChecklistPresenter.ShortPath("/home/operator/x", "/home/op"));
    }

    [Fact]
    public void DetailWrap_KeepsTheSpacingOfShortLines_BreaksLongOnesUnderTheirIndent()
    {
        var lines = ChecklistDetail.Wrap(["   +         non-calico: \"true\"", "   $ kubectl patch daemonset/kube-proxy -n kube-system --type strategic -p '{}'"], 40);

        Assert.Equal("   +         non-calico: \"true\"", lines[0]);
        Assert.Equal("   $ kubectl patch daemonset/kube-proxy", lines[1]);
        Assert.Equal("     -n kube-system --type strategic -p", lines[2]);
        Assert.Equal("     '{}'", lines[3]);
    }
}
