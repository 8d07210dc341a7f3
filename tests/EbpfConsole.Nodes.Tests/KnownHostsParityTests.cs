using EbpfConsole.Nodes.HostKeys;
using EbpfConsole.Nodes.KnownHosts;
using static EbpfConsole.Nodes.Tests.TestKeys;

namespace EbpfConsole.Nodes.Tests;

/// <summary>OpenSSH parity: "checking without port identifier", the global known_hosts files, host certificates.</summary>
public sealed class KnownHostsParityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ebpf-kh-parity-").FullName;

    private string User => Path.Combine(_dir, "known_hosts");

    private string Global => Path.Combine(_dir, "ssh_known_hosts");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static KnownHostsLookup Lookup(string text, int port, byte[]? blob = null) =>
        KnownHostsFile.Parse("/test/known_hosts", text + "\n").Lookup("10.99.0.12", port, "ssh-ed25519", blob ?? Ed25519Blob);

    [Fact]
    public void Lookup_NonStandardPortWithOnlyABareEntry_MatchesTheBareEntry()
    {
        var lookup = Lookup($"10.99.0.12 ssh-ed25519 {Ed25519}", 2222);

        Assert.Equal(HostKeyStatus.Known, lookup.Status);
        Assert.Equal("10.99.0.12", lookup.HostName);
    }

    [Fact]
    public void Lookup_NonStandardPortWithAHashedBareEntry_MatchesIt()
    {
        var line = KnownHostsWriter.FormatLine("10.99.0.12", 22, "ssh-ed25519", Ed25519Blob, hashed: true);

        Assert.Equal(HostKeyStatus.Known, Lookup(line, 2222).Status);
    }

    [Fact]
    public void Lookup_NonStandardPortWithABareEntryOfAnotherKey_IsUnknownAsInOpenSsh()
    {
        // Only a match counts "without port identifier": another sshd on another port may have its own key.
        Assert.Equal(HostKeyStatus.Unknown, Lookup($"10.99.0.12 ssh-ed25519 {OtherEd25519}", 2222).Status);
    }

    [Fact]
    public void Lookup_BracketedEntryDecidesBeforeTheBareOne()
    {
        var text = $"[10.99.0.12]:2222 ssh-ed25519 {OtherEd25519}\n10.99.0.12 ssh-ed25519 {Ed25519}";

        Assert.Equal(HostKeyStatus.Changed, Lookup(text, 2222).Status);
    }

    [Fact]
    public void Lookup_RevokedForTheBareHost_IsRevokedOnOtherPortsToo()
    {
        Assert.Equal(HostKeyStatus.Revoked, Lookup($"@revoked 10.99.0.12 ssh-ed25519 {Ed25519}", 2222).Status);
    }

    [Fact]
    public void Lookup_Port22_NeverTriesTheBracketedForm()
    {
        Assert.Equal(HostKeyStatus.Unknown, Lookup($"[10.99.0.12]:22 ssh-ed25519 {Ed25519}", 22).Status);
    }

    [Fact]
    public void KeyTypesFor_NonStandardPortWithOnlyABareEntry_UsesItsTypes()
    {
        var set = new KnownHostsSet([KnownHostsFile.Parse("f", $"10.99.0.12 ecdsa-sha2-nistp256 {Ecdsa}\n")]);

        Assert.Equal(["ecdsa-sha2-nistp256"], set.KeyTypesFor("10.99.0.12", 2222));
    }

    [Fact]
    public void Verify_AcceptNewKnownByBareName_WritesNothing_UnknownWritesTheBracketedFormOnly()
    {
        File.WriteAllText(User, $"10.99.0.12 ssh-ed25519 {Ed25519}\n");
        var verifier = new HostKeyVerifier(HostKeyPolicy.AcceptNew, [User]);

        Assert.Equal(HostKeyStatus.Known, verifier.Verify("10.99.0.12", 2222, Ed25519Blob).Status);
        Assert.True(verifier.Verify("10.99.0.12", 2222, EcdsaBlob).Trusted);

        Assert.Equal([$"10.99.0.12 ssh-ed25519 {Ed25519}", $"[10.99.0.12]:2222 ecdsa-sha2-nistp256 {Ecdsa}"], File.ReadAllLines(User));
    }

    [Theory]
    [InlineData(HostKeyPolicy.Strict)]
    [InlineData(HostKeyPolicy.AcceptNew)]
    [InlineData(HostKeyPolicy.Ask)]
    public void Verify_KeyDiffersFromTheGlobalFile_IsRefusedAsChangedNamingIt(HostKeyPolicy policy)
    {
        var globalText = $"10.99.0.12 ssh-ed25519 {OtherEd25519}\n";
        File.WriteAllText(Global, globalText);
        var verifier = new HostKeyVerifier(policy, [User], _ => true, globalKnownHostsFiles: [Global]);

        var verdict = verifier.Verify("10.99.0.12", 22, Ed25519Blob);

        Assert.False(verdict.Trusted);
        Assert.Equal(HostKeyStatus.Changed, verdict.Status);
        Assert.Contains($"remove the old entry from {Global}", verdict.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(User));
        Assert.Equal(globalText, File.ReadAllText(Global));
    }

    [Fact]
    public void Verify_KeyListedInTheGlobalFile_IsKnown_NewKeysGoToTheUserFileOnly()
    {
        var globalText = $"10.99.0.12 ssh-ed25519 {Ed25519}\n";
        File.WriteAllText(Global, globalText);
        var verifier = new HostKeyVerifier(HostKeyPolicy.AcceptNew, [User], globalKnownHostsFiles: [Global]);

        Assert.Equal(HostKeyStatus.Known, verifier.Verify("10.99.0.12", 22, Ed25519Blob).Status);
        Assert.Equal(User, verifier.Verify("10.99.0.13", 22, Ed25519Blob).AddedTo);

        Assert.Equal(globalText, File.ReadAllText(Global));
        Assert.Equal(["ssh-ed25519"], verifier.KnownKeyTypes("10.99.0.12", 22));
    }

    [Fact]
    public void Verify_CertificateBlobUnderAcceptNew_IsRefusedAndNeverStored()
    {
        // What SSH.NET hands over when a *-cert-v01 algorithm was negotiated: a blob that names the certificate type.
        var name = "ssh-ed25519-cert-v01@openssh.com"u8;
        byte[] blob = [0, 0, 0, (byte)name.Length, .. name, 0, 0, 0, 1, 7];
        var verifier = new HostKeyVerifier(HostKeyPolicy.AcceptNew, [User]);

        var verdict = verifier.Verify("10.99.0.12", 22, blob, "ssh-ed25519-cert-v01@openssh.com");

        Assert.False(verdict.Trusted);
        Assert.Contains("host certificates are not supported", verdict.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(User));
    }
}
