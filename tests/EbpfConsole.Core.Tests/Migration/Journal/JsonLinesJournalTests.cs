using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration;
using EbpfConsole.Core.Migration.Journal;
using Xunit;

namespace EbpfConsole.Core.Tests.Migration.Journal;

public sealed class JsonLinesJournalTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ectest-journal-" + Guid.NewGuid().ToString("N"));

    private string PathOf => Path.Combine(_dir, "sub", "ctx.jsonl");

    [Fact]
    public void Append_ThenReopen_ReadsEveryFieldBack()
    {
        using (var journal = JsonLinesJournal.OpenForWriting(PathOf))
        {
            journal.Append(Entry(JournalEntryType.StepBegin) with { Force = "checked by hand", Lines = ["patch x"] });
            journal.Append(Entry(JournalEntryType.MutationBegin) with
            {
                Target = MigrationObjects.KubeProxyDaemonSet,
                Change = "patch",
                Before = new JsonObject { ["spec"] = new JsonObject { ["a"] = "b" } },
                Body = new JsonObject { ["spec"] = new JsonObject { ["a"] = "c" } },
            });
        }

        using var read = JsonLinesJournal.OpenReadOnly(PathOf);
        var entries = read.ReadAll();
        Assert.Equal([1L, 2L], entries.Select(e => e.Seq));
        Assert.Equal("checked by hand", entries[0].Force);
        Assert.Equal(["patch x"], entries[0].Lines!);
        Assert.Equal(MigrationObjects.KubeProxyDaemonSet, entries[1].Target);
        Assert.Equal("b", entries[1].Before!["spec"]!["a"]!.ToString());
        Assert.Equal("c", entries[1].Body!["spec"]!["a"]!.ToString());
        Assert.Empty(read.Warnings);
    }

    [Fact]
    public void MutationBegin_OfAnAbsentObject_KeepsBeforeAsNull()
    {
        using (var journal = JsonLinesJournal.OpenForWriting(PathOf))
        {
            journal.Append(Entry(JournalEntryType.MutationBegin) with { Target = MigrationObjects.TestService, Change = "create" });
        }

        var line = File.ReadAllLines(PathOf).Single();
        Assert.Contains("\"before\":null", line, StringComparison.Ordinal);
    }

    [Fact]
    public void TornLastLine_IsSkippedWithAWarning_AndTheNextAppendStartsOnItsOwnLine()
    {
        using (var journal = JsonLinesJournal.OpenForWriting(PathOf))
        {
            journal.Append(Entry(JournalEntryType.StepBegin));
        }

        File.AppendAllText(PathOf, "{\"seq\":2,\"at\":\"2026-");
        using (var journal = JsonLinesJournal.OpenForWriting(PathOf))
        {
            Assert.Single(journal.ReadAll());
            Assert.Contains("cut off when the console was killed", Assert.Single(journal.Warnings), StringComparison.Ordinal);
            Assert.Equal(2, journal.Append(Entry(JournalEntryType.StepEnd)).Seq);
        }

        using var read = JsonLinesJournal.OpenReadOnly(PathOf);
        Assert.Equal([JournalEntryType.StepBegin, JournalEntryType.StepEnd], read.ReadAll().Select(e => e.Type));
    }

    [Fact]
    public void SecondWriter_IsRefusedWhileTheFirstHoldsTheLock()
    {
        using var first = JsonLinesJournal.OpenForWriting(PathOf);
        var ex = Assert.Throws<JournalException>(() => JsonLinesJournal.OpenForWriting(PathOf));
        Assert.Contains("another console", ex.Message, StringComparison.Ordinal);
        using var reader = JsonLinesJournal.OpenReadOnly(PathOf);
        Assert.Throws<JournalException>(() => reader.Append(Entry(JournalEntryType.StepBegin)));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void NewJournal_IsReadableByItsOwnerOnly()
    {
        using (var journal = JsonLinesJournal.OpenForWriting(PathOf))
        {
            journal.Append(Entry(JournalEntryType.StepBegin));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PathOf));
    }

    [Fact]
    public void MissingFile_IsAnEmptyJournal()
    {
        using var read = JsonLinesJournal.OpenReadOnly(PathOf);
        Assert.Empty(read.ReadAll());
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static JournalEntry Entry(JournalEntryType type) => new() { Seq = 0, At = default, Type = type, Step = StepId.M4, Op = JournalOp.Apply };
}
