using EbpfConsole.Nodes.HostKeys;
using EbpfConsole.Nodes.KnownHosts;
using static EbpfConsole.Nodes.Tests.TestKeys;

namespace EbpfConsole.Nodes.Tests;

/// <summary>The Ask callback runs without the verifier's lock, and the files are read again after the answer.</summary>
public sealed class HostKeyVerifierAskTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly string _dir = Directory.CreateTempSubdirectory("ebpf-hkv-ask-").FullName;

    private string KnownHosts => Path.Combine(_dir, "known_hosts");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Verify_WhileOneCheckWaitsInAsk_OtherChecksProceed()
    {
        File.WriteAllText(KnownHosts, $"10.99.0.12 ssh-ed25519 {Ed25519}\n");
        using var asking = new ManualResetEventSlim();
        using var answer = new ManualResetEventSlim();
        var verifier = new HostKeyVerifier(HostKeyPolicy.Ask, [KnownHosts], q =>
        {
            if (q.Host == "10.99.0.11")
            {
                asking.Set();
                return answer.Wait(Patience);
            }

            return true;
        });
        var blocked = Task.Run(() => verifier.Verify("10.99.0.11", 22, Ed25519Blob));
        try
        {
            Assert.True(asking.Wait(Patience), "the first check never asked");

            var known = Task.Run(() => verifier.Verify("10.99.0.12", 22, Ed25519Blob));
            var askedToo = Task.Run(() => verifier.Verify("10.99.0.13", 22, OtherEd25519Blob));

            // Before the fix both waited for the lock held by the first check's question: this timed out.
            await Task.WhenAll(known, askedToo).WaitAsync(Patience);
            Assert.Equal(HostKeyStatus.Known, (await known).Status);
            Assert.True((await askedToo).Trusted);
            Assert.False(blocked.IsCompleted);
        }
        finally
        {
            answer.Set();
        }

        Assert.True((await blocked.WaitAsync(Patience)).Trusted);
        Assert.Equal(3, File.ReadAllLines(KnownHosts).Length);
    }

    [Fact]
    public void Verify_SameKeyAddedWhileAsking_IsKnownAndNotWrittenTwice()
    {
        var line = $"[10.99.0.11]:2222 ssh-ed25519 {Ed25519}";
        var verifier = new HostKeyVerifier(HostKeyPolicy.Ask, [KnownHosts], _ =>
        {
            KnownHostsWriter.AppendLine(KnownHosts, line); // another connection got there first
            return true;
        });

        var verdict = verifier.Verify("10.99.0.11", 2222, Ed25519Blob);

        Assert.True(verdict.Trusted);
        Assert.Null(verdict.AddedTo);
        Assert.Equal([line], File.ReadAllLines(KnownHosts));
    }

    [Fact]
    public void Verify_DifferentKeyAddedWhileAsking_IsRefusedAsChangedDespiteTheYes()
    {
        var verifier = new HostKeyVerifier(HostKeyPolicy.Ask, [KnownHosts], _ =>
        {
            KnownHostsWriter.AppendLine(KnownHosts, $"10.99.0.11 ssh-ed25519 {OtherEd25519}");
            return true;
        });

        var verdict = verifier.Verify("10.99.0.11", 22, Ed25519Blob);

        Assert.False(verdict.Trusted);
        Assert.Equal(HostKeyStatus.Changed, verdict.Status);
        Assert.Single(File.ReadAllLines(KnownHosts));
    }

    [Fact]
    public void Verify_YesAfterTheAttemptEnded_IsNotWritten()
    {
        using var attempt = new CancellationTokenSource();
        var verifier = new HostKeyVerifier(HostKeyPolicy.Ask, [KnownHosts], _ =>
        {
            attempt.Cancel(); // the connection timed out while the user was reading the fingerprint
            return true;
        });

        var verdict = verifier.Verify("10.99.0.11", 22, Ed25519Blob, attemptEnded: attempt.Token);

        Assert.False(verdict.Trusted);
        Assert.Contains("after the connection attempt had already ended", verdict.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(KnownHosts));
    }

    [Fact]
    public void Verify_AttemptEndedButKeyKnown_IsStillKnown()
    {
        File.WriteAllText(KnownHosts, $"10.99.0.11 ssh-ed25519 {Ed25519}\n");
        using var attempt = new CancellationTokenSource();
        attempt.Cancel();

        var verdict = new HostKeyVerifier(HostKeyPolicy.Ask, [KnownHosts], _ => true).Verify("10.99.0.11", 22, Ed25519Blob, attemptEnded: attempt.Token);

        Assert.Equal(HostKeyStatus.Known, verdict.Status);
    }
}
