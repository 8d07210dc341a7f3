using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Journal;

namespace EbpfConsole.Core.Tests.Migration.Engine;

/// <summary>An engine on a <see cref="TestCluster"/> with a real JSON-lines journal in a temp directory.</summary>
internal sealed class EngineBed : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ectest-engine-" + Guid.NewGuid().ToString("N"));
    private JsonLinesJournal? _journal;

    public EngineBed(TestCluster? cluster = null) => Cluster = cluster ?? TestClusters.Healthy();

    public TestCluster Cluster { get; }

    public FakeMigrationApi Api => Cluster.Api;

    public string JournalPath => Path.Combine(_dir, "test.jsonl");

    public FakeProof Proof { get; } = new();

    public MigrationEngine Engine(MigrationOptions? options = null, bool proof = false)
    {
        _journal?.Dispose();
        _journal = JsonLinesJournal.OpenForWriting(JournalPath, Cluster.Clock);
        return new MigrationEngine(
            Api,
            Cluster.Target,
            MigrationPlan.For(Cluster.Target),
            _journal,
            Cluster.Clock,
            options ?? new MigrationOptions(VerifyTimeout: TimeSpan.FromSeconds(30), PollInterval: TimeSpan.FromSeconds(1)),
            proof: proof ? Proof : null);
    }

    public IReadOnlyList<JournalEntry> Entries() => JsonLinesJournal.OpenReadOnly(JournalPath).ReadAll();

    /// <summary>Preview and apply in one go, as `migrate apply --yes` does.</summary>
    public static async Task<StepOutcome> ApplyAsync(MigrationEngine engine, StepId id)
    {
        var preview = await engine.PreviewAsync(id, CancellationToken.None);
        return await engine.ApplyAsync(preview, CancellationToken.None);
    }

    public void Dispose()
    {
        _journal?.Dispose();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}

/// <summary>A proof capture that answers from a queue of verdicts (one per capture).</summary>
internal sealed class FakeProof : IDatapathProof
{
    public Queue<DatapathVerdict> Verdicts { get; } = new();

    public List<string> Names { get; } = [];

    public bool Available => true;

    public Task<ProofCapture> CaptureAsync(string name, CancellationToken cancellationToken)
    {
        Names.Add(name);
        var verdict = Verdicts.Count > 0 ? Verdicts.Dequeue() : DatapathVerdict.Unknown;
        return Task.FromResult(new ProofCapture(name, verdict, verdict == DatapathVerdict.Unknown ? 0 : 3, $"{name}: {verdict.ToName()}"));
    }
}
