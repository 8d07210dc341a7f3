using EbpfConsole.Nodes.HostKeys;
using EbpfConsole.Nodes.KnownHosts;
using static EbpfConsole.Nodes.Tests.TestKeys;

namespace EbpfConsole.Nodes.Tests;

public sealed class HostKeyVerifierTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ebpf-hkv-").FullName;

    private string KnownHosts => Path.Combine(_dir, "known_hosts");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private HostKeyVerifier Verifier(HostKeyPolicy policy, Func<HostKeyQuestion, bool>? ask = null, params string[] lines)
    {
        if (lines.Length > 0)
        {
            File.WriteAllLines(KnownHosts, lines);
        }

        return new HostKeyVerifier(policy, [KnownHosts], ask);
    }

    [Fact]
    public void Verify_KnownKey_IsTrustedWithoutMessage()
    {
        var verdict = Verifier(HostKeyPolicy.Strict, null, $"10.99.0.11 ssh-ed25519 {Ed25519}").Verify("10.99.0.11", 22, Ed25519Blob);

        Assert.True(verdict.Trusted);
        Assert.Equal(HostKeyStatus.Known, verdict.Status);
        Assert.Null(verdict.Message);
    }

    [Fact]
    public void Verify_UnknownUnderStrict_IsRefusedWithFingerprint()
    {
        var verdict = Verifier(HostKeyPolicy.Strict).Verify("10.99.0.11", 22, Ed25519Blob);

        Assert.False(verdict.Trusted);
        Assert.Contains("10.99.0.11:22", verdict.Message, StringComparison.Ordinal);
        Assert.Contains($"ssh-ed25519 {Ed25519Fingerprint}", verdict.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(KnownHosts));
    }

    [Fact]
    public void Verify_UnknownUnderAcceptNew_AppendsAndTrusts()
    {
        var verifier = Verifier(HostKeyPolicy.AcceptNew);

        var first = verifier.Verify("10.99.0.11", 2222, Ed25519Blob);
        var second = verifier.Verify("10.99.0.11", 2222, Ed25519Blob);

        Assert.True(first.Trusted);
        Assert.Equal(KnownHosts, first.AddedTo);
        Assert.Equal(HostKeyStatus.Known, second.Status);
        Assert.Equal($"[10.99.0.11]:2222 ssh-ed25519 {Ed25519}\n", File.ReadAllText(KnownHosts));
    }

    [Theory]
    [InlineData(HostKeyPolicy.Strict)]
    [InlineData(HostKeyPolicy.AcceptNew)]
    [InlineData(HostKeyPolicy.Ask)]
    public void Verify_ChangedKey_IsAlwaysRefusedAndNeverAsked(HostKeyPolicy policy)
    {
        var asked = false;
        var verifier = Verifier(policy, _ => asked = true, $"10.99.0.11 ssh-ed25519 {OtherEd25519}");

        var verdict = verifier.Verify("10.99.0.11", 22, Ed25519Blob);

        Assert.False(verdict.Trusted);
        Assert.False(asked);
        Assert.Equal(HostKeyStatus.Changed, verdict.Status);
        Assert.StartsWith($"host key for 10.99.0.11:22 has CHANGED (ssh-ed25519 {Ed25519Fingerprint}", verdict.Message, StringComparison.Ordinal);
        Assert.Contains($"remove the old entry from {KnownHosts}", verdict.Message, StringComparison.Ordinal);
        Assert.Single(File.ReadAllLines(KnownHosts));
    }

    [Fact]
    public void Verify_RevokedKey_IsRefusedEvenUnderAcceptNew()
    {
        var verdict = Verifier(HostKeyPolicy.AcceptNew, null, $"@revoked * ssh-ed25519 {Ed25519}").Verify("10.99.0.11", 22, Ed25519Blob);

        Assert.False(verdict.Trusted);
        Assert.Equal(HostKeyStatus.Revoked, verdict.Status);
        Assert.Contains("REVOKED", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_Ask_PassesTheQuestionAndAddsWhenAccepted()
    {
        HostKeyQuestion? question = null;
        var verifier = Verifier(HostKeyPolicy.Ask, q =>
        {
            question = q;
            return true;
        });

        var verdict = verifier.Verify("10.99.0.11", 2222, EcdsaBlob, "ecdsa-sha2-nistp256");

        Assert.True(verdict.Trusted);
        Assert.Equal(new HostKeyQuestion("10.99.0.11", 2222, "ecdsa-sha2-nistp256", EcdsaFingerprint), question);
        Assert.Contains("[10.99.0.11]:2222 ecdsa-sha2-nistp256 ", File.ReadAllText(KnownHosts), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AskDeclined_IsRefusedAndNothingWritten()
    {
        var verdict = Verifier(HostKeyPolicy.Ask, _ => false).Verify("10.99.0.11", 22, Ed25519Blob);

        Assert.False(verdict.Trusted);
        Assert.Contains("not accepted", verdict.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(KnownHosts));
    }

    [Fact]
    public void Verify_RsaKeyNegotiatedAsRsaSha2_IsLookedUpAsSshRsa()
    {
        // An RSA blob names "ssh-rsa" inside; the negotiated algorithm name (rsa-sha2-512) must not leak into the file.
        var blob = new byte[] { 0, 0, 0, 7, (byte)'s', (byte)'s', (byte)'h', (byte)'-', (byte)'r', (byte)'s', (byte)'a', 0, 0, 0, 1, 1 };
        var verifier = Verifier(HostKeyPolicy.AcceptNew);

        verifier.Verify("node-1", 22, blob, "rsa-sha2-512");

        Assert.StartsWith("node-1 ssh-rsa ", File.ReadAllText(KnownHosts), StringComparison.Ordinal);
        Assert.True(verifier.Verify("node-1", 22, blob, "rsa-sha2-256").Status == HostKeyStatus.Known);
    }

    [Fact]
    public void Constructor_AskWithoutCallback_Throws()
    {
        Assert.Throws<ArgumentException>(() => new HostKeyVerifier(HostKeyPolicy.Ask, [KnownHosts]));
    }
}
