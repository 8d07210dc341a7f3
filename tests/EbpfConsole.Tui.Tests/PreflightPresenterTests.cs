using EbpfConsole.Core.Nodes;
using EbpfConsole.Core.Preflight;
using EbpfConsole.Tui.Presenters;

namespace EbpfConsole.Tui.Tests;

/// <summary>The Nodes pane's preflight text, pure: matrix cells, summary, progress, selected-cell lines, detail lines.</summary>
public class PreflightPresenterTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;

    [Fact]
    public void Matrix_ColumnsAreNameSshEachNodeCheckAndKernel()
    {
        var matrix = NodeMatrix.From([FakeActions.Up, FakeActions.Down], PreflightSamples.Done());

        Assert.Equal(["NAME", "SSH"], matrix.Columns.Take(2));
        Assert.Equal(["ADDRESS", "KERNEL"], matrix.Columns.TakeLast(2));
        Assert.Equal(matrix.CheckIds, matrix.Columns.Skip(NodeMatrix.FirstCheckColumn).Take(matrix.CheckIds.Count));
        Assert.Contains("P5", matrix.CheckIds);
        Assert.DoesNotContain("P1", matrix.CheckIds);
        Assert.Equal(["node-1", "node-2"], matrix.Rows.Select(r => r.Name));
    }

    [Fact]
    public void Matrix_Cells_GlyphPerVerdict_FailOnlyWhereItFails()
    {
        var matrix = NodeMatrix.From([FakeActions.Up, FakeActions.Down], PreflightSamples.Done());
        var p5 = matrix.ColumnOf("P5");
        var p6 = matrix.ColumnOf("P6");

        Assert.Equal("✓", matrix.Cells[0][p5]);
        Assert.Equal("✗", matrix.Cells[1][p5]);
        Assert.Equal("!", matrix.Cells[0][p6]);
        Assert.Equal("6.8.0-49-generic", matrix.Cells[0][^1]);
        Assert.Equal("10.99.0.11", matrix.Cells[0][^2]);
        // node-2 was never probed successfully: the API's nodeInfo gives its kernel.
        Assert.Equal("6.8.0-45-generic", matrix.Cells[1][^1]);
    }

    [Fact]
    public void Matrix_RunningAndPendingNodes_EllipsisAndDot()
    {
        var matrix = NodeMatrix.From([], PreflightSamples.Running(3));
        var p2 = matrix.ColumnOf("P2");

        Assert.Equal(["✓", "…", "·"], matrix.Cells.Select(c => c[p2]));
        Assert.Equal(["✓ up", "… checking", "· pending"], matrix.Cells.Select(c => c[1]));
    }

    [Fact]
    public void Matrix_UnknownVerdict_QuestionMark()
    {
        var preflight = PreflightSamples.Done() with
        {
            Nodes = [new NodePreflight("node-1", "10.99.0.11", NodeRunState.Done,
                [PreflightSamples.Node("node-1", "P2", "Kernel", Verdict.Unknown, "ssh 10.99.0.11:22: timed out after 10 s")],
                "ssh 10.99.0.11:22 (root): timed out after 10 s")],
        };

        var matrix = NodeMatrix.From([], preflight);

        Assert.Equal("?", matrix.Cells[0][matrix.ColumnOf("P2")]);
        Assert.Equal("✗ timeout", matrix.Cells[0][1]);
    }

    [Theory]
    [InlineData("ssh 10.99.0.12:22: host key changed: REFUSED", "host key")]
    [InlineData("ssh 10.99.0.12:22 (root): timed out after 10 s", "timeout")]
    [InlineData("ssh root@10.99.0.12:22: authentication failed (publickey)", "auth")]
    [InlineData("sudo -n refused on node-2: a password is required", "sudo")]
    [InlineData("ssh 10.99.0.12:22: Connection refused", "refused")]
    [InlineData("something else broke", "failed")]
    public void FailureWord_NamesTheCause(string failure, string expected) => Assert.Equal(expected, NodeMatrix.FailureWord(failure));

    [Fact]
    public void Matrix_NodeOnlyTheProbeKnows_AppendedWithDashes()
    {
        var extra = new NodeStatus("bastion", "10.99.0.99", Reachability.Reachable, "bastion", "6.1.0", null, FakeActions.T0);

        var matrix = NodeMatrix.From([FakeActions.Up, extra], PreflightSamples.Done());

        Assert.Equal(["node-1", "node-2", "bastion"], matrix.Rows.Select(r => r.Name));
        Assert.All(matrix.Cells[2].Skip(NodeMatrix.FirstCheckColumn).Take(matrix.CheckIds.Count), c => Assert.Equal("-", c));
        Assert.Contains("not checked (the API does not list this node)", PreflightPresenter.CheckLine(matrix.Rows[2], "P5"), StringComparison.Ordinal);
    }

    [Fact]
    public void Matrix_NoPreflight_IsTheProbesTable()
    {
        var matrix = NodeMatrix.From([FakeActions.Up], null);

        Assert.False(matrix.HasPreflight);
        Assert.Equal(NodePresenter.Columns, matrix.Columns);
        Assert.Equal(NodePresenter.ToRow(FakeActions.Up), matrix.Cells[0]);
        Assert.Null(matrix.CheckIdAt(2));
    }

    [Fact]
    public void Ids_CatalogFirstThenTheResultsOwn_EachOnce()
    {
        var catalog = new[] { new CheckDefinition("P2", "Kernel", CheckScope.Node, "uname -r", "upgrade") };
        var results = PreflightSamples.NodeResults("node-1").Concat(PreflightSamples.NodeResults("node-2"));

        Assert.Equal(["P2", "P3", "P5", "P6", "P10"], NodeMatrix.Ids(catalog, results));
    }

    [Fact]
    public void Summary_CalicoKubeProxyBpfModeApiNodes_ThenServer()
    {
        var lines = PreflightPresenter.Summary(PreflightSamples.Done());

        Assert.Equal("Calico v3.29.3 manifest · kube-proxy iptables · BPF off · Tunnel · API crd.projectcalico.org/v1 · 2 nodes", lines[0]);
        Assert.Equal("server https://127.0.0.1:6443 (v1.32.0) · endpoints 10.99.0.11:6443", lines[1]);
    }

    [Fact]
    public void Summary_Narrow_ApiGroupMovesToTheSecondLine()
    {
        var lines = PreflightPresenter.Summary(PreflightSamples.Done(), width: 78);

        Assert.Equal("Calico v3.29.3 manifest · kube-proxy iptables · BPF off · Tunnel · 2 nodes", lines[0]);
        Assert.StartsWith("API crd.projectcalico.org/v1 · server https://127.0.0.1:6443", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_OperatorBpfOnDsr_AndNoCalico()
    {
        var summary = PreflightSamples.Summary(1) with { InstallType = "operator", BpfEnabled = true, ExternalServiceMode = "DSR", CalicoApiGroup = "projectcalico.org/v3" };

        Assert.StartsWith("Calico v3.29.3 operator · kube-proxy iptables · BPF on · DSR · API projectcalico.org/v3 · 1 node",
            PreflightPresenter.Summary(PreflightSamples.Done(1) with { Cluster = summary })[0], StringComparison.Ordinal);
        Assert.StartsWith("Calico not found ·",
            PreflightPresenter.Summary(PreflightSamples.Done(1) with { Cluster = summary with { InstallType = "not found", CalicoVersion = null } })[0],
            StringComparison.Ordinal);
    }

    [Fact]
    public void Progress_Done_CountsTimeAndTally() =>
        Assert.Equal("checked 2 nodes in 2.1 s at 12:00:12 — 2 fail, 2 warn", PreflightPresenter.Progress(PreflightSamples.Done(), Utc));

    [Fact]
    public void Progress_Running_DoneOverAll() =>
        Assert.Equal("checking… 1/12 nodes", PreflightPresenter.Progress(PreflightSamples.Running(12), Utc));

    [Fact]
    public void Progress_Error_InFull()
    {
        var preflight = PreflightSnapshot.NotStarted with { Error = "kubeconfig /root/.kube/config: no such file" };

        Assert.Equal("preflight could not run: kubeconfig /root/.kube/config: no such file", PreflightPresenter.Progress(preflight, Utc));
        Assert.Equal("preflight could not run: API server https://10.0.0.1:6443: connection refused",
            PreflightPresenter.Progress(preflight with { Error = "preflight could not run: API server https://10.0.0.1:6443: connection refused" }, Utc));
    }

    [Fact]
    public void Progress_NeverRun_SaysHowToRunIt() =>
        Assert.Equal(PreflightPresenter.NotRun, PreflightPresenter.Progress(PreflightSnapshot.NotStarted, Utc));

    [Fact]
    public void Progress_TimeInTheGivenZone()
    {
        var plusTwo = TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2");

        Assert.Contains("at 14:00:12", PreflightPresenter.Progress(PreflightSamples.Done(), plusTwo), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2.1, "2.1 s")]
    [InlineData(0, "0.0 s")]
    [InlineData(184, "3 min 04 s")]
    public void Duration_SecondsThenMinutes(double seconds, string expected) =>
        Assert.Equal(expected, PreflightPresenter.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Tally_AllPass_AndEmpty()
    {
        Assert.Equal("all pass", PreflightPresenter.Tally([PreflightSamples.Cluster("P1", "x", Verdict.Pass, "ok")]));
        Assert.Equal("no results", PreflightPresenter.Tally([]));
        Assert.Equal("1 unknown", PreflightPresenter.Tally([PreflightSamples.Cluster("P1", "x", Verdict.Unknown, "?")]));
    }

    [Fact]
    public void ClusterRow_ClusterThenIdAndGlyph()
    {
        var cells = PreflightPresenter.ClusterRow(PreflightSamples.Done()).Select(c => c.Trim());

        Assert.Equal(["cluster", "P1 ✓", "P4 ✓", "P7 ✓", "P8 ✗"], cells.Take(5));
    }

    [Fact]
    public void ResultLine_NodeIdTitleVerdictReason()
    {
        var result = PreflightSamples.NodeResults("node-2", bpffsMissing: true).Single(r => r.Id == "P5");

        Assert.Equal($"node-2 P5 BPF filesystem: ✗ fail — {PreflightSamples.BpffsReason}", PreflightPresenter.ResultLine(result));
        Assert.StartsWith("cluster P8 ConfigMap plumbing: ✗ fail — ", PreflightPresenter.ResultLine(PreflightSamples.ClusterResults[3]), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckLine_RunningAndPending_SayWhereTheNodeStands()
    {
        var matrix = NodeMatrix.From([], PreflightSamples.Running(3));

        Assert.EndsWith("P5: … running", PreflightPresenter.CheckLine(matrix.Rows[1], "P5").Replace(" BPF filesystem", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("· pending", PreflightPresenter.CheckLine(matrix.Rows[2], "P5"), StringComparison.Ordinal);
    }

    [Fact]
    public void NodeLine_ProbeDetailThenPreflightFailureInFull()
    {
        var preflight = PreflightSamples.Done() with
        {
            Nodes = [new NodePreflight("node-2", "10.99.0.12", NodeRunState.Done, [], "ssh 10.99.0.12:22: host key changed: REFUSED (was SHA256:abc)")],
        };

        var line = PreflightPresenter.NodeLine(NodeMatrix.From([FakeActions.Down], preflight).Rows[0], Utc);

        Assert.Equal("node-2 (10.99.0.12): ✗ down — ssh: connect to 10.99.0.12:22: Connection refused · checked 12:00:00 · preflight: ✗ ssh 10.99.0.12:22: host key changed: REFUSED (was SHA256:abc)", line);
    }

    [Fact]
    public void DetailCheck_EvidenceVerbatimLineByLine_ThenRemediation()
    {
        var result = PreflightSamples.NodeResults("node-2", bpffsMissing: true).Single(r => r.Id == "P5");

        var lines = PreflightDetail.Check(result, 76);

        Assert.Equal("P5 BPF filesystem — node node-2", lines[0]);
        Assert.Equal("Verdict: ✗ fail", lines[1]);
        var evidence = lines.SkipWhile(l => l != "Evidence (verbatim):").Skip(1).TakeWhile(l => l.Length > 0).ToList();
        Assert.Equal(PreflightSamples.MountEvidence.Split('\n').Take(3).Select(l => PreflightDetail.Gutter + l), evidence.Take(3));
        Assert.Contains(lines, l => l.Contains("mount -t bpf bpf /sys/fs/bpf", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(l.Length <= 76, l));
    }

    [Fact]
    public void Evidence_LongLine_CutExactlyWithoutLosingACharacter()
    {
        var line = "bpf on /sys/fs/bpf type bpf    (rw,nosuid,nodev,noexec,relatime,mode=700)  and more text that runs on";

        var lines = PreflightDetail.Evidence(line, 40);

        Assert.True(lines.Count > 1);
        Assert.StartsWith(PreflightDetail.Gutter, lines[0], StringComparison.Ordinal);
        Assert.All(lines.Skip(1), l => Assert.StartsWith(PreflightDetail.Continued, l, StringComparison.Ordinal));
        Assert.Equal(line, string.Concat(lines.Select(l => l[2..])));
    }

    [Fact]
    public void Evidence_Empty_SaysNothingWasRead() =>
        Assert.Equal([PreflightDetail.Gutter + "(nothing was read)"], PreflightDetail.Evidence("", 60));

    [Fact]
    public void DetailCheck_Pass_NoRemediationNeeded()
    {
        var lines = PreflightDetail.Check(PreflightSamples.ClusterResults[0], 76);

        Assert.Equal("P1 Calico version — cluster check", lines[0]);
        Assert.Contains(PreflightDetail.Gutter + "none needed: the check passes", lines);
    }

    [Fact]
    public void DetailNode_EveryCheckWithVerdictAndReason()
    {
        var row = NodeMatrix.From([FakeActions.Down], PreflightSamples.Done()).Rows[1];

        var lines = PreflightDetail.Node(row, Utc, 76);

        Assert.StartsWith("SSH probe: node-2 (10.99.0.12): ✗ down", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("Preflight: done in 0.8 s — 1 fail, 1 warn", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("P5  ✗ fail    BPF filesystem: /sys/fs/bpf is not mounted", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("P2  ✓ pass    Kernel:", StringComparison.Ordinal));
    }

    [Fact]
    public void DetailCluster_SummaryProgressAndChecks()
    {
        var lines = PreflightDetail.Cluster(PreflightSamples.Done(), Utc, 110);

        Assert.StartsWith("Calico v3.29.3 manifest", lines[0], StringComparison.Ordinal);
        Assert.Contains("checked 2 nodes in 2.1 s at 12:00:12 — 2 fail, 2 warn", lines);
        Assert.Contains(lines, l => l.StartsWith("P8 ✗ fail    ConfigMap plumbing: calico-node has no envFrom", StringComparison.Ordinal));
    }

    [Fact]
    public void DetailNode_NoPreflightHere_SaysSo_NotThatTheApiLacksIt()
    {
        var row = NodeMatrix.From([FakeActions.Up], null).Rows[0];

        Assert.Contains("Preflight: not available here.", PreflightDetail.Node(row, Utc, 76, preflightAvailable: false));
        Assert.Contains("Preflight: the API does not list this node, so it is not checked.", PreflightDetail.Node(row, Utc, 76));
    }
}
