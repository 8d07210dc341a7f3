using System.Security.Cryptography;
using System.Text;
using EbpfConsole.Nodes.KnownHosts;
using static EbpfConsole.Nodes.Tests.TestKeys;

namespace EbpfConsole.Nodes.Tests;

public sealed class KnownHostsFileTests
{
    private static KnownHostsFile Parse(params string[] lines) => KnownHostsFile.Parse("/test/known_hosts", string.Join('\n', lines) + "\n");

    private static HostKeyStatus Status(KnownHostsFile file, string host, int port = 22, string keyType = "ssh-ed25519", byte[]? blob = null) =>
        file.Lookup(host, port, keyType, blob ?? Ed25519Blob).Status;

    /// <summary>Hashes exactly as OpenSSH: |1| + base64(salt) + | + base64(HMAC-SHA1(key = salt, data = host)).</summary>
    private static string OpenSshHash(string host)
    {
        var salt = RandomNumberGenerator.GetBytes(20);
#pragma warning disable CA5350 // OpenSSH's hashed known_hosts format is HMAC-SHA1 by definition.
        var hmac = HMACSHA1.HashData(salt, Encoding.ASCII.GetBytes(host));
#pragma warning restore CA5350
        return $"|1|{Convert.ToBase64String(salt)}|{Convert.ToBase64String(hmac)}";
    }

    [Fact]
    public void Lookup_PlainEntry_IsKnown()
    {
        var file = Parse($"10.99.0.11 ssh-ed25519 {Ed25519} root@node-1");

        Assert.Equal(HostKeyStatus.Known, Status(file, "10.99.0.11"));
        Assert.Equal(HostKeyStatus.Unknown, Status(file, "10.99.0.12"));
    }

    [Fact]
    public void Lookup_HostNameCase_IsIgnored()
    {
        var file = Parse($"Node-1.Example ssh-ed25519 {Ed25519}");

        Assert.Equal(HostKeyStatus.Known, Status(file, "node-1.EXAMPLE"));
    }

    [Fact]
    public void Lookup_CommaSeparatedHostList_MatchesEachName()
    {
        var file = Parse($"node-1,10.99.0.11,[10.99.0.11]:2222 ssh-ed25519 {Ed25519}");

        Assert.Equal(HostKeyStatus.Known, Status(file, "node-1"));
        Assert.Equal(HostKeyStatus.Known, Status(file, "10.99.0.11"));
        Assert.Equal(HostKeyStatus.Known, Status(file, "10.99.0.11", 2222));
        Assert.Equal(HostKeyStatus.Unknown, Status(file, "node-2"));
    }

    [Fact]
    public void Lookup_NonStandardPort_UsesTheBracketedFormThenTheBareHost()
    {
        var file = Parse($"[10.99.0.11]:2222 ssh-ed25519 {Ed25519}", $"10.99.0.12 ssh-ed25519 {Ed25519}");

        Assert.Equal(HostKeyStatus.Known, Status(file, "10.99.0.11", 2222));
        Assert.Equal(HostKeyStatus.Unknown, Status(file, "10.99.0.11", 22));

        // OpenSSH: "checking without port identifier" (see KnownHostsParityTests).
        Assert.Equal(HostKeyStatus.Known, Status(file, "10.99.0.12", 2222));
    }

    [Fact]
    public void Lookup_IPv6OnNonStandardPort_UsesBrackets()
    {
        var file = Parse($"[::1]:2222 ssh-ed25519 {Ed25519}");

        Assert.Equal(HostKeyStatus.Known, Status(file, "::1", 2222));
    }

    [Theory]
    [InlineData("10.99.0.11", 22)]
    [InlineData("[10.99.0.11]:2222", 2222)]
    public void Lookup_HashedEntryMadeLikeOpenSsh_IsKnown(string hostName, int port)
    {
        var file = Parse($"{OpenSshHash(hostName)} ssh-ed25519 {Ed25519}");

        Assert.True(file.Entries[0].IsHashed);
        Assert.Equal(HostKeyStatus.Known, Status(file, "10.99.0.11", port));
        Assert.Equal(HostKeyStatus.Unknown, Status(file, "10.99.0.12", port));
    }

    [Fact]
    public void Lookup_LineHashedBySshKeygen_IsKnown()
    {
        var file = Parse(SshKeygenHashedLine);

        Assert.Equal(HostKeyStatus.Known, Status(file, "127.0.0.1", 2222));
        Assert.Equal(HostKeyStatus.Unknown, Status(file, "127.0.0.1", 22));
    }

    [Fact]
    public void Hash_WithSshKeygensSalt_ReproducesItsLine()
    {
        var salt = Convert.FromBase64String("XZu37YE8Gq+FdMoUo9oLn4RZbUg=");

        Assert.Equal(SshKeygenHashedLine.Split(' ')[0], HostPatterns.Hash("[127.0.0.1]:2222", salt));
    }

    [Theory]
    [InlineData("10.99.0.*", "10.99.0.11", true)]
    [InlineData("10.99.0.?", "10.99.0.7", true)]
    [InlineData("10.99.0.?", "10.99.0.11", false)]
    [InlineData("*", "anything.example", true)]
    [InlineData("node-*.lab", "node-1.lab", true)]
    [InlineData("node-*.lab", "node-1.lab.evil", false)]
    [InlineData("[10.99.0.*]:2222", "[10.99.0.11]:2222", true)]
    public void Lookup_WildcardPatterns_MatchLikeOpenSsh(string pattern, string hostName, bool expected)
    {
        var file = Parse($"{pattern} ssh-ed25519 {Ed25519}");
        var (host, port) = hostName.StartsWith('[') ? (hostName[1..hostName.IndexOf(']', StringComparison.Ordinal)], 2222) : (hostName, 22);

        Assert.Equal(expected ? HostKeyStatus.Known : HostKeyStatus.Unknown, Status(file, host, port));
    }

    [Fact]
    public void Lookup_NegatedPattern_VetoesTheWildcard()
    {
        var file = Parse($"10.99.0.*,!10.99.0.66 ssh-ed25519 {Ed25519}");

        Assert.Equal(HostKeyStatus.Known, Status(file, "10.99.0.11"));
        Assert.Equal(HostKeyStatus.Unknown, Status(file, "10.99.0.66"));
    }

    [Fact]
    public void Lookup_SameTypeDifferentKey_IsChangedAndNamesTheLine()
    {
        var file = Parse("# header", $"10.99.0.11 ssh-ed25519 {OtherEd25519}");

        var lookup = file.Lookup("10.99.0.11", 22, "ssh-ed25519", Ed25519Blob);

        Assert.Equal(HostKeyStatus.Changed, lookup.Status);
        Assert.Equal("/test/known_hosts:2", lookup.Entry!.ToString());
    }

    [Fact]
    public void Lookup_ListedOnlyWithOtherKeyType_IsUnknownLikeOpenSsh()
    {
        var file = Parse($"10.99.0.11 ecdsa-sha2-nistp256 {Ecdsa}");

        Assert.Equal(HostKeyStatus.Unknown, Status(file, "10.99.0.11"));
        Assert.Equal(HostKeyStatus.Known, Status(file, "10.99.0.11", keyType: "ecdsa-sha2-nistp256", blob: EcdsaBlob));
    }

    [Fact]
    public void Lookup_KnownBeatsChanged_WhenTheHostHasBothLines()
    {
        var file = Parse($"10.99.0.11 ssh-ed25519 {OtherEd25519}", $"10.99.0.* ssh-ed25519 {Ed25519}");

        Assert.Equal(HostKeyStatus.Known, Status(file, "10.99.0.11"));
    }

    [Fact]
    public void Lookup_RevokedKey_IsRevokedEvenWhenAlsoListed()
    {
        var file = Parse($"10.99.0.11 ssh-ed25519 {Ed25519}", $"@revoked * ssh-ed25519 {Ed25519}");

        var lookup = file.Lookup("10.99.0.11", 22, "ssh-ed25519", Ed25519Blob);

        Assert.Equal(HostKeyStatus.Revoked, lookup.Status);
        Assert.Equal(2, lookup.Entry!.LineNumber);
        Assert.Equal(HostKeyStatus.Changed, Status(file, "10.99.0.11", blob: OtherEd25519Blob));
        Assert.Equal(HostKeyStatus.Unknown, Status(file, "10.99.0.12", blob: OtherEd25519Blob));
    }

    [Fact]
    public void Lookup_CertAuthorityLine_IsIgnored()
    {
        var file = Parse($"@cert-authority * ssh-ed25519 {Ed25519}");

        Assert.Single(file.Entries);
        Assert.Equal(HostKeyStatus.Unknown, Status(file, "10.99.0.11"));
    }

    [Fact]
    public void Parse_CommentsBlankAndGarbage_AreSkippedAndCounted()
    {
        var file = Parse(
            "# a comment",
            string.Empty,
            "   ",
            $"10.99.0.11 ssh-ed25519 {Ed25519}",
            "garbage",
            "10.99.0.12 ssh-ed25519 not*base64",
            $"10.99.0.13 ssh-rsa {Ed25519}",
            "10.99.0.14 1024 35 1234567890",
            $"@bogus 10.99.0.15 ssh-ed25519 {Ed25519}",
            $"|1|notvalid|x ssh-ed25519 {Ed25519}",
            $"\t10.99.0.16\tssh-ed25519\t{Ed25519}\r");

        Assert.Equal(3, file.CommentLines);
        Assert.Equal([5, 6, 7, 8, 9, 10], file.InvalidLines);
        Assert.Equal(["10.99.0.11", "10.99.0.16"], file.Entries.Select(e => e.Hosts));
        Assert.Equal(HostKeyStatus.Known, Status(file, "10.99.0.16"));
    }

    [Fact]
    public void Load_MissingFile_IsEmptyWithoutError()
    {
        var file = KnownHostsFile.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "known_hosts"));

        Assert.Empty(file.Entries);
        Assert.Null(file.LoadError);
    }

    [Fact]
    public void KnownHostsSet_SeveralFiles_AreSearchedTogether()
    {
        var user = KnownHostsFile.Parse("/home/u/.ssh/known_hosts", $"10.99.0.11 ssh-ed25519 {Ed25519}\n");
        var lab = KnownHostsFile.Parse("/lab/known_hosts", $"10.99.0.12 ssh-ed25519 {Ed25519}\n10.99.0.13 ssh-ed25519 {OtherEd25519}\n");
        var set = new KnownHostsSet([user, lab]);

        Assert.Equal(HostKeyStatus.Known, set.Lookup("10.99.0.11", 22, "ssh-ed25519", Ed25519Blob).Status);
        Assert.Equal(HostKeyStatus.Known, set.Lookup("10.99.0.12", 22, "ssh-ed25519", Ed25519Blob).Status);
        var changed = set.Lookup("10.99.0.13", 22, "ssh-ed25519", Ed25519Blob);
        Assert.Equal(HostKeyStatus.Changed, changed.Status);
        Assert.Equal("/lab/known_hosts", changed.Entry!.FilePath);
    }

    [Fact]
    public void KnownHostsSet_KeyTypesFor_NormalizesRsaAndSkipsRevoked()
    {
        var file = Parse($"10.99.0.11 ecdsa-sha2-nistp256 {Ecdsa}", $"@revoked 10.99.0.11 ssh-ed25519 {Ed25519}");

        Assert.Equal(["ecdsa-sha2-nistp256"], new KnownHostsSet([file]).KeyTypesFor("10.99.0.11", 22));
    }
}
